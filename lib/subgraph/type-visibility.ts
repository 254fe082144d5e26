import { defaultFieldResolver, getNamedType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../auth.js';
import { forbidden } from '../errors.js';
import { grantOf, typeVisibility, type Action } from '../policy.js';

const visibility = typeVisibility as Readonly<Record<string, Action>>;

/**
 * Enforces what each role may see of each type (lib/policy `typeVisibility`) on every field of
 * the schema that leads into a type needing another permission than its parent: a role that may
 * never see a type gets FORBIDDEN on every path to it, whichever resolver forgot to ask.
 * Ownership ("own" grants) is the resolvers' part: they know whose record it is.
 */
export function applyTypeVisibility(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const parentAction = visibility[type.name];
    for (const field of Object.values(type.getFields())) {
      const action = visibility[getNamedType(field.type).name];
      if (!action || action === parentAction) continue;
      const resolve: GraphQLFieldResolver<unknown, { viewer: Viewer }> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        if (grantOf(context.viewer.role, action) === 'none') throw forbidden(`Role ${context.viewer.role} may not see ${getNamedType(field.type).name}`);
        return resolve(source, args, context, info);
      };
    }
  }
}

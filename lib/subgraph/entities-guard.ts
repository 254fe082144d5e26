import { isUnionType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../auth.js';
import { badInput } from '../errors.js';
import { authorize, typeVisibility } from '../policy.js';

/** Largest `_entities` call: the gateway batches per fetch, a bigger one is not a query plan. */
export const maxRepresentations = 5000;

/**
 * Guards `Query._entities`: every representation must be an object naming an entity type of
 * this subgraph (`__typename`) and its key (`id`, a string), or the call is BAD_USER_INPUT naming
 * the representation; the caller must be allowed to see every type asked for (lib/policy).
 * Ownership of records is checked by each type's reference resolver.
 */
export function guardEntities(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const union = schema.getType('_Entity');
  if (!field || !union || !isUnionType(union)) return;
  const entityTypes = new Set(union.getTypes().map((type) => type.name));
  const resolve = field.resolve as GraphQLFieldResolver<unknown, { viewer: Viewer }>;
  field.resolve = (source, args: { representations?: unknown }, context, info) => {
    const representations = args.representations;
    if (!Array.isArray(representations)) throw badInput('representations must be a list', 'representations');
    if (representations.length > maxRepresentations) throw badInput(`representations may hold at most ${maxRepresentations} entries`, 'representations');
    for (const [index, representation] of representations.entries()) {
      const where = `representations[${index}]`;
      if (!representation || typeof representation !== 'object') throw badInput(`${where} must be an object`, 'representations');
      const { __typename: typename, id } = representation as { __typename?: unknown; id?: unknown };
      if (typeof typename !== 'string' || !entityTypes.has(typename)) {
        throw badInput(`${where}: __typename must be one of ${[...entityTypes].join(', ')}`, 'representations');
      }
      if (typeof id !== 'string' || id === '' || id.length > 500) throw badInput(`${where}: id must be a string of 1 to 500 characters`, 'representations');
      const action = (typeVisibility as Record<string, (typeof typeVisibility)[keyof typeof typeVisibility]>)[typename];
      if (action) authorize(context.viewer, action);
    }
    return resolve(source, args, context, info);
  };
}

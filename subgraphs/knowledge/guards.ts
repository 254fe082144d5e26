import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { requireViewer } from '../../lib/auth.js';
import { badInput, forbidden, unauthenticated } from '../../lib/errors.js';
import type { KnowledgeContext } from './context.js';

type ArgumentCheck = (args: Record<string, unknown>) => void;

const within = (name: string, min: number, max: number): ArgumentCheck => (args) => {
  const value = args[name];
  if (value != null && (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)) {
    throw badInput(`${name} must be within [${min}, ${max}]`, name);
  }
};

/** Input rules of the root fields @neo4j/graphql runs as @cypher: checked before any Cypher runs. */
const argumentChecks: Record<string, ArgumentCheck[]> = {
  searchEntities: [
    within('first', 1, 100),
    (args) => {
      const text = typeof args.text === 'string' ? args.text.trim() : '';
      if (text === '' || text.length > 200) throw badInput('text must have 1 to 200 characters', 'text');
    },
  ],
  patients: [within('first', 1, 500)],
};

/** @neo4j/graphql's own auth errors, turned into the project's stable codes. */
function translateLibraryError(error: unknown): unknown {
  const name = (error as Error | undefined)?.name;
  if (name === 'Neo4jGraphQLForbiddenError') return forbidden();
  if (name === 'Neo4jGraphQLAuthenticationError') return unauthenticated();
  return error;
}

/**
 * Every Query field but `_service` needs a verified token (anonymous callers get
 * UNAUTHENTICATED before any Cypher runs), then its argument checks.
 */
export function guardQueryFields(schema: GraphQLSchema): void {
  const query = schema.getQueryType() as GraphQLObjectType;
  for (const [name, field] of Object.entries(query.getFields())) {
    if (name === '_service') continue;
    const resolve: GraphQLFieldResolver<unknown, KnowledgeContext> = field.resolve ?? defaultFieldResolver;
    const checks = argumentChecks[name] ?? [];
    field.resolve = async (source, args: Record<string, unknown>, context: KnowledgeContext, info) => {
      requireViewer(context.viewer);
      for (const check of checks) check(args);
      try {
        return await resolve(source, args, context, info);
      } catch (error) {
        throw translateLibraryError(error);
      }
    };
  }
}

import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { canReadPatient } from '../../lib/auth.js';
import type { KnowledgeContext } from './context.js';

type ResolveReference = (reference: { id: unknown }, context: KnowledgeContext) => Promise<unknown>;

/**
 * Entity references answered from the store in one statement per type and request (per-request
 * DataLoaders), instead of @neo4j/graphql's one translated query per representation. The fields
 * of the returned records carry GraphQL names, which the library's field resolvers read directly.
 * `_entities` itself requires a verified token (guards.ts); every role may read the graph.
 */
const referenceResolvers: Record<string, ResolveReference> = {
  MedicalEntity: async (reference, context) => (await context.loaders.entities.load(String(reference.id))) ?? null,
  /** A patient the caller may not see is null; one with no node is a patient with empty records. */
  Patient: async (reference, context) => {
    const id = String(reference.id);
    if (!context.viewer || !canReadPatient(context.viewer, id)) return null;
    return (await context.loaders.patients.load(id)) ?? { id, diagnoses: [], medications: [], allergies: [] };
  },
};

/** Sets the reference resolvers on the schema, where @apollo/subgraph keeps them (type extensions). */
export function installReferenceResolvers(schema: GraphQLSchema): void {
  for (const [name, resolveReference] of Object.entries(referenceResolvers)) {
    const extensions = (schema.getType(name) as GraphQLObjectType | undefined)?.extensions.apollo as { subgraph?: { resolveReference?: unknown } } | undefined;
    if (!extensions?.subgraph) throw new Error(`${name} is not an entity of the knowledge subgraph schema`);
    extensions.subgraph.resolveReference = resolveReference;
  }
}

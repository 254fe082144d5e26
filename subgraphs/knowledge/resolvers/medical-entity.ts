import { badInput } from '../../../lib/errors.js';
import { authorize } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { KnowledgeContext } from '../context.js';
import { assertRelationTypes } from '../rules.js';
import { loadVisiblePatient } from './query.js';

const maxRelations = 200;

/** Entities and patients, as fields and as references (one statement per type and request, batched by loaders.ts). */
export const medicalEntityResolvers = {
  MedicalEntity: {
    /** An unknown entity is null. */
    __resolveReference: async (reference: { id: string }, context: KnowledgeContext) => {
      authorize(context.viewer, 'graph.read');
      return (await context.loaders.entities.load(reference.id)) ?? null;
    },
    relations: (entity: { id: string }, args: { types?: string[] | null; first?: number | null }, context: KnowledgeContext) => {
      assertRelationTypes(args.types);
      const first = args.first ?? 50;
      if (!Number.isInteger(first) || first < 0 || first > maxRelations) throw badInput(`first must be within [0, ${maxRelations}]`, 'first');
      return context.loaders.relations({ id: entity.id, types: args.types ?? null, first });
    },
    layerHistory: (entity: { id: string }, _args: unknown, context: KnowledgeContext) => context.loaders.layerHistory.load(entity.id),
  },
  Patient: {
    /** A patient the caller may not see is null; one with no node is a patient with empty records. */
    __resolveReference: (reference: { id: string }, context: KnowledgeContext) => loadVisiblePatient(context, reference.id),
  },
} satisfies Resolvers<KnowledgeContext>;

import { badInput } from '../../../lib/errors.js';
import type { KnowledgeContext } from '../context.js';
import { assertRelationTypes } from '../rules.js';

const maxRelations = 200;

/** Custom fields of MedicalEntity (@customResolver(requires: "id")): batched per request by loaders.ts. */
export const medicalEntityResolvers = {
  MedicalEntity: {
    relations: (entity: { id: string }, args: { types?: string[] | null; first?: number | null }, context: KnowledgeContext) => {
      assertRelationTypes(args.types);
      const first = args.first ?? 50;
      if (!Number.isInteger(first) || first < 0 || first > maxRelations) throw badInput(`first must be within [0, ${maxRelations}]`, 'first');
      return context.loaders.relations({ id: entity.id, types: args.types ?? null, first });
    },
    layerHistory: (entity: { id: string }, _args: unknown, context: KnowledgeContext) => context.loaders.layerHistory.load(entity.id),
  },
};

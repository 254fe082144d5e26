import type { GraphQLResolveInfo } from 'graphql';
import { authorize } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { SearchContext } from '../context.js';
import { limits, validateCount } from '../validation.js';
import { guardSearchField } from './guard-field.js';

type EntityReference = { __typename: 'MedicalEntity'; id: string };

export const medicalEntityResolvers = {
  MedicalEntity: {
    /** An entity the sync has not embedded yet has no neighbours: an empty list, not an error. */
    similarEntities(entity: { id: string }, args: { k: number }, context: SearchContext, info: GraphQLResolveInfo): Promise<EntityReference[]> {
      authorize(context.viewer, 'graph.read');
      const k = validateCount(args.k, limits.similarEntitiesK, 'k');
      return guardSearchField(context, info, [], async () => {
        await context.services.ensureCollections();
        const vector = await context.loaders.entityVector.load(entity.id);
        if (!vector) return [];
        const similar = await context.services.entities.searchSimilar(vector, k, entity.id);
        return similar.map((payload) => ({ __typename: 'MedicalEntity' as const, id: payload.entity_id }));
      });
    },
  },
} satisfies Resolvers<SearchContext>;

import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { SearchContext } from '../context.js';
import { limits } from '../validation.js';
import { searchList } from './guard-field.js';

type EntityReference = { __typename: 'MedicalEntity'; id: string };

export const medicalEntityResolvers = {
  MedicalEntity: {
    /** An entity the sync has not embedded yet has no neighbours: an empty list, not an error. */
    similarEntities: (entity: { id: string }, args: { k: number }, context: SearchContext, info: GraphQLResolveInfo): Promise<EntityReference[]> =>
      searchList(context, info, 'graph.read', { value: args.k, range: limits.similarEntitiesK, name: 'k' }, async (k) => {
        const vector = await context.loaders.entityVector.load(entity.id);
        if (!vector) return [];
        const similar = await context.services.entities.searchSimilar(vector, k, entity.id);
        return similar.map((payload) => ({ __typename: 'MedicalEntity' as const, id: payload.entity_id }));
      }),
  },
} satisfies Resolvers<SearchContext>;

import type { GraphQLResolveInfo } from 'graphql';
import { authorize } from '../../../lib/policy.js';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { SearchContext } from '../context.js';
import { chunkPointId } from '../point-id.js';
import type { ChunkPoint } from '../store/chunk-store.js';
import { limits, validateCount } from '../validation.js';
import { guardSearchField } from './guard-field.js';

export const documentResolvers = {
  Document: {
    /**
     * Chunk ids follow from document id and index, so the first N chunks of every document in
     * the request are fetched by id in one batched round trip, no per-document query.
     */
    chunks(document: { id: string }, args: { first: number }, context: SearchContext, info: GraphQLResolveInfo): Promise<ChunkPoint[]> {
      authorize(context.viewer, 'document.read');
      const first = validateCount(args.first, limits.chunksFirst, 'first');
      return guardSearchField(context, info, [], async () => {
        await context.services.ensureCollections();
        const ids = Array.from({ length: first }, (_, index) => chunkPointId(document.id, index));
        const points = await context.loaders.chunkById.loadMany(ids);
        const error = points.find((point): point is Error => point instanceof Error);
        if (error) throw error;
        return points.filter((point): point is ChunkPoint => point !== null && !(point instanceof Error));
      });
    },
  },
} satisfies Resolvers<SearchContext>;

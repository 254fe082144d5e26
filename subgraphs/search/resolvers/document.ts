import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../../../lib/subgraph/resolvers.js';
import type { SearchContext } from '../context.js';
import { chunkPointId } from '../point-id.js';
import type { ChunkPoint } from '../store/chunk-store.js';
import { limits } from '../validation.js';
import { searchList } from './guard-field.js';

export const documentResolvers = {
  Document: {
    /**
     * Chunk ids follow from document id and index, so the first N chunks of every document in
     * the request are fetched by id in one batched round trip, no per-document query.
     */
    chunks: (document: { id: string }, args: { first: number }, context: SearchContext, info: GraphQLResolveInfo): Promise<ChunkPoint[]> =>
      searchList(context, info, 'document.read', { value: args.first, range: limits.chunksFirst, name: 'first' }, async (first) => {
        const ids = Array.from({ length: first }, (_, index) => chunkPointId(document.id, index));
        const points = await context.loaders.chunkById.loadMany(ids);
        const error = points.find((point): point is Error => point instanceof Error);
        if (error) throw error;
        return points.filter((point): point is ChunkPoint => point !== null && !(point instanceof Error));
      }),
  },
} satisfies Resolvers<SearchContext>;

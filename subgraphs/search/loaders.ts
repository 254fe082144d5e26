import DataLoader from 'dataloader';
import type { ChunkPoint, ChunkSearchFilter, ScoredChunk } from './store/chunk-store.js';
import type { SearchServices } from './services.js';
import { queryVector } from './lexical/lexical-vector.js';
import { candidatePoolSize, rankPassages } from './rank-passages.js';

/** One passage search: the k chunks that best match `text` (in meaning and in words) and pass `filter`. */
export interface PassageQuery {
  text: string;
  k: number;
  filter: ChunkSearchFilter;
  /** Knowledge entities the text is about (a message's mentions): chunks naming them are candidates too. */
  entityIds: readonly string[];
  /** The embedding of `text`: within a request the same text always has the same vector, so it is no part of the key. */
  vector: readonly number[];
}

/** Per-request batching: one model call for every query text, one Qdrant call per point kind. */
export function createLoaders(services: SearchServices) {
  return {
    queryVector: new DataLoader<string, number[]>((texts) => services.queryEmbedder.embedQueries(texts)),
    passages: new DataLoader<PassageQuery, ScoredChunk[], string>(
      async (queries) => {
        const results = await services.chunks.searchMany(
          queries.map(({ text, vector, entityIds, filter, k }) => ({ vector, lexical: queryVector(text), entityIds, filter, limit: candidatePoolSize(k) })),
        );
        return results.map((candidates, position) => rankPassages(candidates, (queries[position] as PassageQuery).k));
      },
      { cacheKeyFn: ({ text, k, filter, entityIds }) => JSON.stringify([text, k, filter, entityIds]) },
    ),
    entityVector: new DataLoader<string, number[] | null>(async (ids) => {
      const points = await services.entities.retrieve(ids, true);
      const byId = new Map(points.map((point) => [point.payload.entity_id, point.vector ?? null]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    chunkById: new DataLoader<string, ChunkPoint | null>(async (ids) => {
      const points = await services.chunks.retrieve(ids);
      const byId = new Map(points.map((point) => [point.id, point]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type SearchLoaders = ReturnType<typeof createLoaders>;

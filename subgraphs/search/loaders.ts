import DataLoader from 'dataloader';
import { AppError } from '../../lib/errors.js';
import type { ChunkPoint, ChunkSearchFilter, ScoredChunk } from './store/chunk-store.js';
import type { SearchServices } from './services.js';
import { queryVector as lexicalQueryVector } from './lexical/lexical-vector.js';
import { candidatePoolSize, rankPassages } from './rank-passages.js';

/** One passage search: the k chunks that best match `text` (in meaning and in words) and pass `filter`. */
export interface PassageQuery {
  text: string;
  k: number;
  filter: ChunkSearchFilter;
  /** Knowledge entities the text is about (a message's mentions): chunks naming them are candidates too. */
  entityIds: readonly string[];
}

const embeddingUnavailable = (error: unknown) =>
  Object.assign(new AppError('UNAVAILABLE', 'Semantic search is unavailable: the embedding model did not answer. Try again shortly.'), { cause: error });

/**
 * Per-request batching: one model call for every query text, one Qdrant call per point kind.
 * Passage searches answered before (by any request or replica) come from the passage memo: only
 * the others are embedded and searched.
 */
export function createLoaders(services: SearchServices) {
  const queryVector = new DataLoader<string, number[]>((texts) =>
    services.queryEmbedder.embedQueries(texts).catch((error: unknown) => {
      throw embeddingUnavailable(error);
    }),
  );
  const searchPassages = async (queries: readonly PassageQuery[]): Promise<ScoredChunk[][]> => {
    const vectors = await Promise.all(queries.map(({ text }) => queryVector.load(text)));
    const results = await services.chunks.searchMany(
      queries.map(({ text, entityIds, filter, k }, position) => ({ vector: vectors[position] as number[], lexical: lexicalQueryVector(text), entityIds, filter, limit: candidatePoolSize(k) })),
    );
    return results.map((candidates, position) => rankPassages(candidates, (queries[position] as PassageQuery).k));
  };
  return {
    queryVector,
    passages: new DataLoader<PassageQuery, ScoredChunk[], string>(
      async (queries) => {
        const { generation, results } = await services.passageMemo.lookup(queries);
        const missing = queries.filter((_, position) => results[position] === undefined);
        if (missing.length === 0) return results as ScoredChunk[][];
        const searched = await searchPassages(missing);
        await services.passageMemo.remember(generation, missing.map((query, position) => ({ query, result: searched[position] as ScoredChunk[] })));
        let next = 0;
        return results.map((result) => result ?? (searched[next++] as ScoredChunk[]));
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

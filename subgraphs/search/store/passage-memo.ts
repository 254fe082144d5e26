import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CacheLookup } from '../../../lib/cache-metrics.js';
import type { Logger } from '../../../lib/logger.js';
import { normalizeQuery } from '../embedder/query-embedder.js';
import type { ChunkSearchFilter, ScoredChunk } from './chunk-store.js';

/** What a passage search result depends on, besides the chunks themselves. */
export interface PassageQueryKey {
  text: string;
  k: number;
  filter: ChunkSearchFilter;
  entityIds: readonly string[];
}

export interface PassageMemo {
  /** Remembered results of these queries (undefined where none), and the chunk generation they were read under. */
  lookup(queries: readonly PassageQueryKey[]): Promise<{ generation: number; results: (ScoredChunk[] | undefined)[] }>;
  /** Remembers results computed under `generation` (the one `lookup` returned before they were searched). */
  remember(generation: number, entries: readonly { query: PassageQueryKey; result: ScoredChunk[] }[]): Promise<void>;
  /** The chunk collection changed: every result remembered so far is stale. */
  chunksChanged(): Promise<void>;
}

export interface PassageMemoOptions {
  redis: Redis;
  /** The chunk collection the results come from: each collection has its own generation. */
  collection: string;
  logger: Logger;
  ttlSeconds?: number;
  lookups?: CacheLookup;
}

const generationKey = (collection: string) => `search:passages:${collection}:generation`;

/** Makes every passage search result remembered for `collection` stale: call it after writing to the collection. */
export async function markChunksChanged(redis: Redis, collection: string): Promise<void> {
  await redis.incr(generationKey(collection));
}

/**
 * Passage search results by query, across requests and replicas: a message's supporting
 * passages are searched once, not at every read of the message. The results are chunks (public
 * documents); the key is a hash, so Redis never holds a searched text or message content. Every
 * write to the chunk collection raises its generation; a result remembered under an older one is
 * a miss, so no answer is ever older than the chunks. A Redis failure costs the memo, never the search.
 */
export function createPassageMemo(options: PassageMemoOptions): PassageMemo {
  const { redis, collection, logger, ttlSeconds = 24 * 3600, lookups = () => undefined } = options;
  const resultKey = ({ text, k, filter, entityIds }: PassageQueryKey) =>
    `search:passages:${collection}:${createHash('sha256').update(JSON.stringify([normalizeQuery(text), k, filter, [...entityIds].sort()])).digest('hex')}`;

  return {
    async lookup(queries) {
      const values = await redis.mget(generationKey(collection), ...queries.map(resultKey)).catch((error: unknown) => {
        logger.warn({ err: error }, 'passage memo read failed; searching without it');
        return undefined;
      });
      // a failed read leaves the generation unknown: -1 makes whatever is searched now unremembered
      const generation = values ? Number(values[0] ?? 0) : -1;
      const results = queries.map((_, index) => {
        const stored = values?.[index + 1];
        if (!stored) return undefined;
        const entry = JSON.parse(stored) as { generation: number; result: ScoredChunk[] };
        return entry.generation === generation ? entry.result : undefined;
      });
      const hits = results.filter((result) => result !== undefined).length;
      lookups('hit', hits);
      lookups('miss', queries.length - hits);
      return { generation, results };
    },
    async remember(generation, entries) {
      if (generation < 0 || entries.length === 0) return;
      const pipeline = redis.pipeline();
      for (const { query, result } of entries) pipeline.set(resultKey(query), JSON.stringify({ generation, result }), 'EX', ttlSeconds);
      await pipeline.exec().catch((error: unknown) => logger.warn({ err: error }, 'passage memo write failed'));
    },
    chunksChanged: () => markChunksChanged(redis, collection),
  };
}

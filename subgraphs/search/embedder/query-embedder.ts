import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CacheLookup } from '../../../lib/cache-metrics.js';
import type { Logger } from '../../../lib/logger.js';
import type { Embedder } from './embedder.js';

export interface QueryEmbedder {
  readonly model: string;
  /** One vector per query text, from the Redis cache where possible; misses are embedded in one batch. */
  embedQueries(texts: readonly string[]): Promise<number[][]>;
}

export interface QueryEmbedderOptions {
  embedder: Embedder;
  redis: Redis;
  logger: Logger;
  /** How long a cached query vector lives; default 7 days. */
  ttlSeconds?: number;
  /** Counts hits and misses (lib/cache-metrics). */
  lookups?: CacheLookup;
}

/** Whitespace does not change what a query means, so it does not split the cache. */
export const normalizeQuery = (text: string): string => text.trim().replace(/\s+/g, ' ');

/** Keyed by model and a hash of the text: switching models never serves another model's vectors. */
export const queryCacheKey = (model: string, text: string): string =>
  `search:query-embedding:${model}:${createHash('sha256').update(normalizeQuery(text)).digest('hex')}`;

/**
 * The query path's embedder: Redis first, the model for misses. A Redis failure costs only the
 * cache (logged), never the query. Vectors are stored as little-endian float32 bytes under a hash
 * of the text: Redis never holds a searched text or message content itself.
 */
export function createQueryEmbedder(options: QueryEmbedderOptions): QueryEmbedder {
  const { embedder, redis, logger, ttlSeconds = 7 * 24 * 3600, lookups = () => undefined } = options;
  return {
    model: embedder.model,
    async embedQueries(texts) {
      const normalized = texts.map(normalizeQuery);
      const keys = normalized.map((text) => queryCacheKey(embedder.model, text));
      const cached = await redis.mgetBuffer(...keys).catch((error: unknown) => {
        logger.warn({ err: error }, 'query embedding cache read failed; embedding without it');
        return keys.map(() => null);
      });
      const vectors = cached.map((buffer) => (buffer && buffer.length === embedder.dimension * 4 ? decode(buffer) : undefined));
      const missing = [...new Set(normalized.filter((_, index) => vectors[index] === undefined))];
      const hits = vectors.filter((vector) => vector !== undefined).length;
      lookups('hit', hits);
      lookups('miss', vectors.length - hits);
      if (missing.length > 0) {
        const embedded = await embedder.embed(missing);
        const byText = new Map(missing.map((text, index) => [text, embedded[index] as number[]]));
        normalized.forEach((text, index) => (vectors[index] ??= byText.get(text)));
        const pipeline = redis.pipeline();
        for (const [text, vector] of byText) pipeline.set(queryCacheKey(embedder.model, text), encode(vector), 'EX', ttlSeconds);
        await pipeline.exec().catch((error: unknown) => logger.warn({ err: error }, 'query embedding cache write failed'));
      }
      return vectors as number[][];
    },
  };
}

function encode(vector: readonly number[]): Buffer {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => buffer.writeFloatLE(value, index * 4));
  return buffer;
}

function decode(buffer: Buffer): number[] {
  const vector: number[] = [];
  for (let offset = 0; offset < buffer.length; offset += 4) vector.push(buffer.readFloatLE(offset));
  return vector;
}

import type { Redis } from 'ioredis';
import type { Logger } from '../../../lib/logger.js';
import { withRedisLock } from '../../../lib/redis-lock.js';
import type { QueryLogStore } from '../store/query-log-store.js';

export interface QueryLog {
  /** Queues a searched text and its vector; it reaches `query_cache` with the next flush. Nothing is kept when retention is 0. */
  add(text: string, vector: readonly number[]): void;
  /** Deletes, every hour in one process (Redis lock), the texts not searched within the retention; returns the stop function. */
  schedulePurge(intervalMs?: number): () => void;
  /** Writes what is queued and stops the timer (shutdown). */
  close(): Promise<void>;
}

export interface QueryLogOptions {
  store: QueryLogStore;
  model: string;
  logger: Logger;
  redis: Redis;
  /** Days a text stays after it was last searched; 0 keeps none. */
  retentionDays: number;
  lockKey: string;
  flushMs?: number;
}

/**
 * `query_cache` keeps what people searched for (semanticSearch texts of callers other than
 * patients, never message contents), for analysis and to warm a fresh Redis, for
 * `retentionDays` after each text was last searched. Writes are buffered and sent in one upsert
 * every `flushMs`, so a search never waits for them.
 */
export function createQueryLog(options: QueryLogOptions): QueryLog {
  const { store, model, logger } = options;
  const retentionMs = options.retentionDays * 86_400_000;
  const pending = new Map<string, readonly number[]>();
  const flush = async (): Promise<void> => {
    if (pending.size === 0) return;
    const batch = [...pending];
    pending.clear();
    await store.record(model, batch.map(([text]) => text), batch.map(([, vector]) => [...vector])).catch((error: unknown) => logger.warn({ err: error, queries: batch.length }, 'query log write failed'));
  };
  const purge = async (): Promise<void> => {
    const outcome = await withRedisLock(options.redis, options.lockKey, 60_000, () => store.deleteUnusedSince(new Date(Date.now() - retentionMs)));
    if (outcome.acquired) logger.debug('query log purged past its retention');
  };
  const timer = setInterval(() => void flush(), options.flushMs ?? 2000);
  timer.unref();
  return {
    add(text, vector) {
      if (retentionMs > 0) pending.set(text, vector);
    },
    schedulePurge(intervalMs = 3_600_000) {
      const run = () => purge().catch((error: unknown) => logger.warn({ err: error }, 'query log purge failed; will retry'));
      void run();
      const purgeTimer = setInterval(run, intervalMs);
      purgeTimer.unref();
      return () => clearInterval(purgeTimer);
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

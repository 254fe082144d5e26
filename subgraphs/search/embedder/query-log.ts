import type { Logger } from '../../../lib/logger.js';
import type { QueryLogStore } from '../store/query-log-store.js';

export interface QueryLog {
  /** Queues embedded query texts; they reach `query_cache` with the next flush. */
  add(texts: readonly string[], vectors: readonly number[][]): void;
  /** Writes what is queued and stops the timer (shutdown). */
  close(): Promise<void>;
}

/**
 * Buffers `query_cache` writes and sends them in one upsert every `flushMs`, so a cache miss
 * on the query path costs Qdrant no extra request while a search waits behind it.
 */
export function createQueryLog(store: QueryLogStore, model: string, logger: Logger, flushMs = 2000): QueryLog {
  let texts: string[] = [];
  let vectors: number[][] = [];
  const flush = async (): Promise<void> => {
    if (texts.length === 0) return;
    const [batchTexts, batchVectors] = [texts, vectors];
    [texts, vectors] = [[], []];
    await store.record(model, batchTexts, batchVectors).catch((error: unknown) => logger.warn({ err: error, queries: batchTexts.length }, 'query log write failed'));
  };
  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();
  return {
    add(newTexts, newVectors) {
      texts.push(...newTexts);
      vectors.push(...newVectors);
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

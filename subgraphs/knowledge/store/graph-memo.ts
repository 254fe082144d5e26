import type { Redis } from 'ioredis';
import type { CacheLookup } from '../../../lib/cache-metrics.js';
import type { Logger } from '../../../lib/logger.js';
import { readGraphGeneration } from './graph-generation.js';

/** One request's reads through the memo, all under the graph generation of the request's first read. */
export interface GraphReads {
  /**
   * The records of `keys` (of one `kind`: entities, relations with given arguments, ...):
   * those remembered under the current generation, the others from `load`, which are then
   * remembered. A key `load` does not return (no such record) is remembered as absent.
   */
  through<V>(kind: string, keys: readonly string[], load: (missing: readonly string[]) => Promise<Map<string, V>>): Promise<Map<string, V>>;
}

export interface GraphMemoOptions {
  redis: Redis;
  logger: Logger;
  /** Records remembered at most; the oldest go first. */
  maxEntries?: number;
  /** A bound for writes no knowledge process announced (an operator's Cypher): no record is older. */
  ttlMs?: number;
  lookups?: CacheLookup;
}

interface Entry {
  generation: number;
  expiresAt: number;
  found: boolean;
  value: unknown;
}

/**
 * Knowledge-graph reads remembered in this process: the same entities and relations are read by
 * almost every request (the concepts messages mention), and are medical knowledge, not patient
 * records, so every caller may share them; each resolver still asks the permission rules. A
 * record remembered under an older graph generation (graph-generation.ts: every write raises it)
 * is a miss, so no answer is older than the graph. Patients' records are never remembered. If
 * Redis fails, the request reads Neo4j and remembers nothing.
 */
export function createGraphMemo(options: GraphMemoOptions): { forRequest(): GraphReads; forget(): void } {
  const { redis, logger, maxEntries = 20_000, ttlMs = 60_000, lookups = () => undefined } = options;
  const entries = new Map<string, Entry>();

  function remember(key: string, entry: Entry): void {
    entries.delete(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
    entries.set(key, entry);
  }

  return {
    /** Drops everything remembered here. */
    forget: () => entries.clear(),
    forRequest(): GraphReads {
      let generation: Promise<number> | undefined;
      // -1: the generation is unknown, so nothing read now can be remembered or served
      const current = () =>
        (generation ??= readGraphGeneration(redis).catch((error: unknown) => {
          logger.warn({ err: error }, 'graph generation read failed; reading Neo4j without the memo');
          return -1;
        }));
      return {
        async through<V>(kind: string, keys: readonly string[], load: (missing: readonly string[]) => Promise<Map<string, V>>): Promise<Map<string, V>> {
          const at = await current();
          const now = Date.now();
          const found = new Map<string, V>();
          const missing: string[] = [];
          for (const key of keys) {
            const entry = entries.get(`${kind}\n${key}`);
            if (entry && entry.generation === at && at >= 0 && entry.expiresAt > now) {
              if (entry.found) found.set(key, entry.value as V);
            } else missing.push(key);
          }
          lookups('hit', keys.length - missing.length);
          lookups('miss', missing.length);
          if (missing.length === 0) return found;
          const loaded = await load(missing);
          for (const key of missing) {
            const value = loaded.get(key);
            if (value !== undefined) found.set(key, value);
            if (at >= 0) remember(`${kind}\n${key}`, { generation: at, expiresAt: now + ttlMs, found: value !== undefined, value });
          }
          return found;
        },
      };
    },
  };
}

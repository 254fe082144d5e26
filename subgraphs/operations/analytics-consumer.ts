import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Consumer, DurableEvent } from '../../lib/events.js';
import type { Logger } from '../../lib/logger.js';
import { startOperationsConsumer } from './event-streams.js';
import { insertQueryAnalytics, type Database, type QueryAnalyticsEntry } from './store/index.js';

const queryCompleted = z.object({
  queryHash: z.string().min(1),
  operationName: z.string().nullable().optional(),
  durationMs: z.number().min(0),
  cacheHit: z.boolean(),
  subgraphs: z.array(z.string()).default([]),
  patientId: z.string().nullable().optional(),
  hasErrors: z.boolean().default(false),
});

/** The query_analytics row of a gateway `query.completed` event; undefined for other or malformed events. */
export function toQueryAnalyticsEntry(event: DurableEvent<unknown>): QueryAnalyticsEntry | undefined {
  if (event.type !== 'query.completed') return undefined;
  const parsed = queryCompleted.safeParse(event.payload);
  if (!parsed.success) return undefined;
  const payload = parsed.data;
  return {
    eventId: event.id,
    queryHash: payload.queryHash,
    operationName: payload.operationName ?? null,
    latencyMs: payload.durationMs,
    cacheHit: payload.cacheHit,
    hasErrors: payload.hasErrors,
    subgraphs: payload.subgraphs,
    patientId: payload.patientId ?? null,
  };
}

/**
 * Stores the gateway's per-operation analytics events (docs/federation-contract.md) in
 * query_analytics: every read of up to 500 events is one INSERT, so a busy gateway costs the
 * database a statement per batch rather than per operation.
 */
export function startQueryAnalyticsConsumer(db: Database, redis: Redis, stream: string, logger: Logger): Promise<Consumer> {
  return startOperationsConsumer(redis, stream, logger, {
    batchSize: 500,
    handleBatch: async (events) => {
      const entries: QueryAnalyticsEntry[] = [];
      for (const event of events) {
        const entry = toQueryAnalyticsEntry(event);
        if (entry) entries.push(entry);
        else logger.warn({ eventId: event.id, type: event.type }, 'unknown or malformed analytics event skipped');
      }
      await insertQueryAnalytics(db, entries);
    },
  });
}

import type { Redis } from 'ioredis';
import type { Consumer } from '../../../lib/events.js';
import type { Logger } from '../../../lib/logger.js';
import type { MetricsTarget } from '../../../lib/store-metrics.js';
import type { ReceivedEvent } from '../../../lib/typed-events.js';
import { consumeAsOperations } from './consume.js';
import { insertQueryAnalytics, type Database, type QueryAnalyticsEntry } from '../store/index.js';

/** The query_analytics row of a gateway `query.completed` event. */
export function toQueryAnalyticsEntry(event: ReceivedEvent<'analytics'>): QueryAnalyticsEntry {
  const { payload } = event;
  return {
    eventId: event.id,
    queryHash: payload.queryHash,
    operationName: payload.operationName,
    latencyMs: payload.durationMs,
    cacheHit: payload.cacheHit,
    hasErrors: payload.hasErrors,
    subgraphs: payload.subgraphs,
    patientId: payload.patientId,
  };
}

/**
 * Stores the gateway's per-operation analytics events in query_analytics: every read of up to
 * 500 events is one INSERT, so a busy gateway costs the database a statement per batch rather
 * than per operation. A read that was not full is followed by a pause of `gatherMs` (default 1 s),
 * so that at a steady pace too the events of a second share one statement (one per operation
 * otherwise, each with its commit and acknowledgement); the rows are only counted later.
 */
export function startQueryAnalyticsConsumer(db: Database, redis: Redis, streamPrefix: string, logger: Logger, metrics?: MetricsTarget, gatherMs = 1000): Promise<Consumer> {
  return consumeAsOperations(redis, {
    prefix: streamPrefix,
    stream: 'analytics',
    logger,
    ...(metrics ? { metrics } : {}),
    batchSize: 500,
    gatherMs,
    handleBatch: async (events) => {
      await insertQueryAnalytics(db, events.map(toQueryAnalyticsEntry));
    },
  });
}

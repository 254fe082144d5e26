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
 * than per operation.
 */
export function startQueryAnalyticsConsumer(db: Database, redis: Redis, streamPrefix: string, logger: Logger, metrics?: MetricsTarget): Promise<Consumer> {
  return consumeAsOperations(redis, {
    prefix: streamPrefix,
    stream: 'analytics',
    logger,
    ...(metrics ? { metrics } : {}),
    batchSize: 500,
    handleBatch: async (events) => {
      await insertQueryAnalytics(db, events.map(toQueryAnalyticsEntry));
    },
  });
}

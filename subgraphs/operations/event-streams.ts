import type { Redis } from 'ioredis';
import { z } from 'zod';
import { publishEvent, startConsumer, type Consumer, type DurableEvent, type EventHandler } from '../../lib/events.js';
import type { Logger } from '../../lib/logger.js';
import { applyIngestOutcome, publishPendingEvents, type Database, type IngestOutcome, type OutboxRow } from './store/index.js';

/** Stream names of docs/federation-contract.md under the configured prefix. */
export function operationsStreams(prefix: string) {
  return { feedback: `${prefix}:feedback`, ingest: `${prefix}:documents:ingest`, results: `${prefix}:documents:results`, analytics: `${prefix}:analytics` };
}

export function publishOutboxRow(redis: Redis) {
  return async (row: OutboxRow): Promise<void> => {
    await publishEvent(redis, row.stream, { id: row.eventId, type: row.type, payload: row.payload });
  };
}

/** Publishes whatever the outbox still holds for our streams every `intervalMs` (Redis was down, a process died). */
export function startOutboxRelay(db: Database, redis: Redis, streamPrefix: string, logger: Logger, intervalMs: number): () => void {
  const timer = setInterval(() => {
    publishPendingEvents(db, publishOutboxRow(redis), { streamPrefix })
      .then((published) => published > 0 && logger.info({ published }, 'outbox relay published pending events'))
      .catch((error: unknown) => logger.warn({ err: error }, 'outbox relay failed; will retry'));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

const quality = z.object({
  informationDensity: z.number().min(0).max(1).nullable().optional(),
  structuralClarity: z.number().min(0).max(1).nullable().optional(),
  entityCoherence: z.number().min(0).max(1).nullable().optional(),
  contextSufficiency: z.number().min(0).max(1).nullable().optional(),
  contextualRelevancy: z.number().min(0).max(1).nullable().optional(),
  compositeScore: z.number().min(0).max(1).nullable().optional(),
});
const resultPayload = z.object({
  documentId: z.string().min(1),
  chunkCount: z.number().int().min(0).optional(),
  quality: quality.optional(),
  reason: z.string().optional(),
});

/** The outcome an event of `documents:results` describes; undefined for unknown types and malformed payloads. */
export function toIngestOutcome(event: DurableEvent<unknown>): { documentId: string; outcome: IngestOutcome } | undefined {
  const parsed = resultPayload.safeParse(event.payload);
  if (!parsed.success) return undefined;
  const payload = parsed.data;
  const { documentId } = payload;
  if (event.type === 'document.ingest.started') return { documentId, outcome: { kind: 'started' } };
  if (event.type === 'document.ingest.failed') return { documentId, outcome: { kind: 'failed', reason: payload.reason ?? 'unknown reason' } };
  if (event.type !== 'document.ingest.completed') return undefined;
  const scores = payload.quality ?? {};
  return {
    documentId,
    outcome: {
      kind: 'completed',
      chunkCount: payload.chunkCount ?? 0,
      quality: {
        informationDensity: scores.informationDensity ?? null,
        structuralClarity: scores.structuralClarity ?? null,
        entityCoherence: scores.entityCoherence ?? null,
        contextSufficiency: scores.contextSufficiency ?? null,
        contextualRelevancy: scores.contextualRelevancy ?? null,
        compositeScore: scores.compositeScore ?? null,
      },
    },
  };
}

/** A consumer in the `operations` group, one consumer name per process. */
export function startOperationsConsumer(
  redis: Redis,
  stream: string,
  logger: Logger,
  handler: EventHandler<unknown> & { batchSize?: number },
): Promise<Consumer> {
  return startConsumer<unknown>(redis, { stream, group: 'operations', consumer: `operations-${process.pid}`, logger, ...handler });
}

/** Consumes the search subgraph's ingest results into documents and document_quality. */
export function startIngestResultConsumer(db: Database, redis: Redis, stream: string, logger: Logger): Promise<Consumer> {
  return startOperationsConsumer(redis, stream, logger, {
    handle: async (event) => {
      const result = toIngestOutcome(event);
      if (!result) return logger.warn({ eventId: event.id, type: event.type }, 'unknown or malformed ingest result skipped');
      const applied = await applyIngestOutcome(db, event.id, result.documentId, result.outcome);
      logger.debug({ eventId: event.id, applied }, 'ingest result handled');
    },
  });
}

import type { Redis } from 'ioredis';
import type { Consumer } from '../../../lib/events.js';
import type { Logger } from '../../../lib/logger.js';
import type { MetricsTarget } from '../../../lib/store-metrics.js';
import type { ReceivedEvent } from '../../../lib/typed-events.js';
import { consumeAsOperations } from './consume.js';
import type { DocumentWrites } from '../routing/ports.js';
import type { IngestOutcome } from '../store/index.js';

/** What a result of the search subgraph (`document.ingest.*`) does to a document. */
export function toIngestOutcome(event: ReceivedEvent<'documentsResults'>): { documentId: string; outcome: IngestOutcome } {
  const { documentId } = event.payload;
  if (event.type === 'document.ingest.started') return { documentId, outcome: { kind: 'started' } };
  if (event.type === 'document.ingest.failed') return { documentId, outcome: { kind: 'failed', reason: event.payload.reason ?? 'unknown reason' } };
  const scores = event.payload.quality ?? {};
  return {
    documentId,
    outcome: {
      kind: 'completed',
      chunkCount: event.payload.chunkCount ?? 0,
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

/** Consumes the search subgraph's ingest results into the documents' store of the stage (exactly once in effect). */
export function startIngestResultConsumer(documents: Pick<DocumentWrites, 'applyIngestOutcome'>, redis: Redis, streamPrefix: string, logger: Logger, metrics?: MetricsTarget): Promise<Consumer> {
  return consumeAsOperations(redis, {
    prefix: streamPrefix,
    stream: 'documentsResults',
    logger,
    ...(metrics ? { metrics } : {}),
    handle: async (event) => {
      const { documentId, outcome } = toIngestOutcome(event);
      const applied = await documents.applyIngestOutcome(event.id, documentId, outcome);
      logger.debug({ eventId: event.id, applied }, 'ingest result handled');
    },
  });
}

import type { Redis } from 'ioredis';
import { consumerGroups } from '../../../lib/event-contracts.js';
import { AppError } from '../../../lib/errors.js';
import type { Consumer } from '../../../lib/events.js';
import type { Logger } from '../../../lib/logger.js';
import type { MetricsTarget } from '../../../lib/store-metrics.js';
import { consume, type ReceivedEvent } from '../../../lib/typed-events.js';
import { publishIngestResult, readAttempt } from './events.js';
import { ingestDocument, IngestInputError, type IngestDependencies } from './ingest-document.js';

export interface IngestConsumerOptions {
  redis: Redis;
  streamPrefix: string;
  deps: IngestDependencies;
  logger: Logger;
  /** Consumer name inside the `search-ingest` group; one per process. */
  consumer: string;
  blockMs?: number;
  /** Where the lag gauge goes (lib/consumer-lag). */
  metrics?: MetricsTarget;
}

/**
 * Carries out `document.ingest.requested`: reports `started`, then `completed` with chunk count
 * and quality, or `failed` with a reason the operations subgraph stores on the document. A failure
 * is acknowledged once reported: the client retries with a new attempt, which resumes (see
 * ingestDocument). Only a failure to report leaves the event pending for redelivery.
 * A redelivered event changes nothing: the chunks it writes are the same points with the same
 * content (unchanged vectors are reused, not re-embedded), and its result events carry the same
 * ids (`ingest-result:<documentId>:<attempt>:<kind>`), which the operations subgraph deduplicates.
 */
export function startIngestConsumer(options: IngestConsumerOptions): Promise<Consumer> {
  const { redis, streamPrefix, logger } = options;
  return consume(redis, {
    prefix: streamPrefix,
    stream: 'documentsIngest',
    group: consumerGroups.searchIngest,
    consumer: options.consumer,
    logger,
    batchSize: 5,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.blockMs !== undefined ? { blockMs: options.blockMs } : {}),
    handle: (event) => handleIngestEvent(options, event),
  });
}

export async function handleIngestEvent(options: IngestConsumerOptions, event: ReceivedEvent<'documentsIngest'>): Promise<void> {
  const { redis, streamPrefix, deps, logger } = options;
  const { documentId } = event.payload;
  const attempt = readAttempt(event.id, documentId);
  await publishIngestResult(redis, streamPrefix, attempt, { kind: 'started', payload: { documentId } });
  const started = Date.now();
  try {
    const { chunkCount, quality } = await ingestDocument(deps, event.payload);
    await publishIngestResult(redis, streamPrefix, attempt, { kind: 'completed', payload: { documentId, chunkCount, quality } });
    logger.info({ documentId, attempt, chunkCount, compositeScore: quality.compositeScore, ms: Date.now() - started }, 'document ingested');
  } catch (error) {
    const reason = describeFailure(error);
    logger.warn({ err: error, documentId, attempt }, 'document ingestion failed');
    await publishIngestResult(redis, streamPrefix, attempt, { kind: 'failed', payload: { documentId, reason } });
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof IngestInputError || error instanceof AppError) return error.message;
  return `Ingestion failed: ${error instanceof Error ? error.message : String(error)}`;
}

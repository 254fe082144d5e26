import type { Redis } from 'ioredis';
import type { EventPayload } from '../../../lib/event-contracts.js';
import { publish } from '../../../lib/typed-events.js';

export type IngestRequestedPayload = EventPayload<'document.ingest.requested'>;

export type IngestResult =
  | { kind: 'started'; payload: EventPayload<'document.ingest.started'> }
  | { kind: 'completed'; payload: EventPayload<'document.ingest.completed'> }
  | { kind: 'failed'; payload: EventPayload<'document.ingest.failed'> };

/** `ingest:<documentId>:<attempt>` -> `<attempt>`; the result event ids carry it on. */
export function readAttempt(eventId: string, documentId: string): string {
  const prefix = `ingest:${documentId}:`;
  return eventId.startsWith(prefix) && eventId.length > prefix.length ? eventId.slice(prefix.length) : eventId;
}

/** Publishes `document.ingest.<kind>`; its id (`ingest-result:<documentId>:<attempt>:<kind>`) makes a redelivery harmless. */
export function publishIngestResult(redis: Redis, streamPrefix: string, attempt: string, result: IngestResult): Promise<string> {
  const id = `ingest-result:${result.payload.documentId}:${attempt}:${result.kind}`;
  if (result.kind === 'started') return publish(redis, streamPrefix, 'document.ingest.started', id, result.payload);
  if (result.kind === 'completed') return publish(redis, streamPrefix, 'document.ingest.completed', id, result.payload);
  return publish(redis, streamPrefix, 'document.ingest.failed', id, result.payload);
}

import type { Redis } from 'ioredis';
import { publishEvent } from '../../../lib/events.js';
import type { DocumentQuality } from './quality.js';

/** Stream names from docs/federation-contract.md, under EVENT_STREAM_PREFIX. */
export function createStreamNames(prefix: string) {
  return { ingest: `${prefix}:documents:ingest`, results: `${prefix}:documents:results`, entities: `${prefix}:entities` };
}

export type StreamNames = ReturnType<typeof createStreamNames>;

export interface IngestRequestedPayload {
  documentId: string;
  filename: string;
  title: string | null;
  source: string | null;
  content: string;
}

export type IngestResult =
  | { kind: 'started'; payload: { documentId: string } }
  | { kind: 'completed'; payload: { documentId: string; chunkCount: number; quality: DocumentQuality } }
  | { kind: 'failed'; payload: { documentId: string; reason: string } };

/** `ingest:<documentId>:<attempt>` -> `<attempt>`; the result event ids carry it on. */
export function readAttempt(eventId: string, documentId: string): string {
  const prefix = `ingest:${documentId}:`;
  return eventId.startsWith(prefix) && eventId.length > prefix.length ? eventId.slice(prefix.length) : eventId;
}

export function publishIngestResult(redis: Redis, streams: StreamNames, attempt: string, result: IngestResult): Promise<string> {
  return publishEvent(redis, streams.results, {
    id: `ingest-result:${result.payload.documentId}:${attempt}:${result.kind}`,
    type: `document.ingest.${result.kind}`,
    payload: result.payload,
  });
}

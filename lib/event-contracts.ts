import { z } from 'zod';

/**
 * Every durable event between the services, declared once: its stream, payload schema (zod),
 * version, producer and consumer. Producers publish and consumers read through lib/typed-events,
 * which check payloads against these schemas on both sides. docs/federation-contract.md shows
 * this table (a test compares them).
 */

const layer = z.enum(['PERCEPTION', 'SEMANTIC', 'REASONING', 'APPLICATION']);
const entityType = z.enum(['DISEASE', 'TREATMENT', 'SYMPTOM', 'TEST', 'DRUG', 'GENE', 'PATHWAY', 'ORGANIZATION', 'STUDY']);
const score = z.number().min(0).max(1).nullish();

/** A document's quality scores, 0 to 1 each (unknown: null): what ingestion reports, and what a document's changes carry. */
export const documentQualityScores = z.object({
  informationDensity: score,
  structuralClarity: score,
  entityCoherence: score,
  contextSufficiency: score,
  contextualRelevancy: score,
  compositeScore: score,
});

/** The streams, named after EVENT_STREAM_PREFIX: `<prefix>:<name>`. */
export const streams = {
  feedback: 'feedback',
  documentsIngest: 'documents:ingest',
  documentsResults: 'documents:results',
  entities: 'entities',
  analytics: 'analytics',
  sessions: 'sessions',
} as const;
export type StreamKey = keyof typeof streams;

/** Consumer groups: one per consuming service and stream. */
export const consumerGroups = {
  knowledgeFeedback: 'knowledge',
  operations: 'operations',
  searchIngest: 'search-ingest',
  searchEntities: 'search-entities',
  searchPassages: 'search-passages',
} as const;

type Service = 'gateway' | 'knowledge' | 'operations' | 'search';

/** How many entries of `sessions` stay for subscribers that reconnect (Last-Event-ID): hours of a busy deployment's conversations. */
const sessionEventsRetained = 100_000;
const sessionStatus = z.enum(['ACTIVE', 'ENDED', 'ARCHIVED']);

export interface EventContract {
  stream: StreamKey;
  version: number;
  producer: Service;
  consumer: Service | readonly Service[];
  payload: z.ZodObject;
  /**
   * Entries the stream keeps (about: trimmed as it grows), for streams read without a consumer
   * group, whose readers replay from an entry id; streams read in groups keep every entry.
   */
  retain?: number;
}

export const eventContracts = {
  'feedback.submitted': {
    stream: 'feedback',
    version: 1,
    producer: 'operations',
    consumer: 'knowledge',
    payload: z.object({
      feedbackId: z.string().min(1),
      responseId: z.string().min(1),
      sessionId: z.string().nullable(),
      patientId: z.string().nullable(),
      rating: z.number().int().min(1).max(5),
      feedbackType: z.enum(['HELPFUL', 'UNHELPFUL', 'INCORRECT', 'PARTIALLY_CORRECT', 'MISSING_INFO']),
      severity: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']).nullable(),
      entityIds: z.array(z.string().min(1)),
      layers: z.array(layer),
      createdAt: z.string(),
    }),
  },
  'document.ingest.requested': {
    stream: 'documentsIngest',
    version: 1,
    producer: 'operations',
    consumer: 'search',
    payload: z.object({ documentId: z.string().min(1), filename: z.string(), title: z.string().nullable(), source: z.string().nullable(), content: z.string() }),
  },
  'document.ingest.started': {
    stream: 'documentsResults',
    version: 1,
    producer: 'search',
    consumer: 'operations',
    payload: z.object({ documentId: z.string().min(1) }),
  },
  'document.ingest.completed': {
    stream: 'documentsResults',
    version: 1,
    producer: 'search',
    consumer: 'operations',
    // chunkCount and quality may be left out (0 and unknown scores): what the first producer sent
    payload: z.object({
      documentId: z.string().min(1),
      chunkCount: z.number().int().min(0).optional(),
      quality: documentQualityScores.optional(),
    }),
  },
  'document.ingest.failed': {
    stream: 'documentsResults',
    version: 1,
    producer: 'search',
    consumer: 'operations',
    payload: z.object({ documentId: z.string().min(1), reason: z.string().optional() }),
  },
  'entity.upserted': {
    stream: 'entities',
    version: 1,
    producer: 'knowledge',
    consumer: 'search',
    // synonyms: optional, so events published before they existed still read
    payload: z.object({ id: z.string().min(1), name: z.string().min(1), type: entityType, layer, description: z.string().nullable(), synonyms: z.array(z.string()).optional() }),
  },
  'query.completed': {
    stream: 'analytics',
    version: 1,
    producer: 'gateway',
    consumer: 'operations',
    payload: z.object({
      queryHash: z.string().min(1),
      operationName: z.string().nullable().default(null),
      durationMs: z.number().min(0),
      cacheHit: z.boolean(),
      subgraphs: z.array(z.string()).default([]),
      patientId: z.string().nullable().default(null),
      hasErrors: z.boolean().default(false),
    }),
  },
  'message.added': {
    stream: 'sessions',
    version: 1,
    producer: 'operations',
    consumer: ['gateway', 'search'],
    retain: sessionEventsRetained,
    payload: z.object({ messageId: z.string().min(1), sessionId: z.string().min(1), patientId: z.string().min(1), createdAt: z.string() }),
  },
  'session.updated': {
    stream: 'sessions',
    version: 1,
    producer: 'operations',
    consumer: 'gateway',
    retain: sessionEventsRetained,
    payload: z.object({ sessionId: z.string().min(1), patientId: z.string().min(1), status: sessionStatus, lastActivity: z.string() }),
  },
} as const satisfies Record<string, EventContract>;

export type EventType = keyof typeof eventContracts;
export type EventPayload<T extends EventType> = z.infer<(typeof eventContracts)[T]['payload']>;
/** The event types carried on a stream. */
export type EventOf<S extends StreamKey> = { [T in EventType]: (typeof eventContracts)[T]['stream'] extends S ? T : never }[EventType];

/** `<prefix>:<stream>`. */
export function streamName(prefix: string, stream: StreamKey): string {
  return `${prefix}:${streams[stream]}`;
}

/** Every stream under `prefix` (tests remove theirs). */
export function allStreamNames(prefix: string): string[] {
  return (Object.keys(streams) as StreamKey[]).map((stream) => streamName(prefix, stream));
}

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventContracts, type);
}

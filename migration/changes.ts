import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { exactIso, parseInstant, type PreciseDate } from '../lib/precise-time.js';
import { documentQualityScores, isEventType } from '../lib/event-contracts.js';
import type { OutgoingEvent } from '../lib/typed-events.js';
import type { Actor, AuditEntry, DocumentQualityRow, DocumentRow, FeedbackRow, MessageRow, SessionRow } from '../subgraphs/operations/store/index.js';
import type { MigrationDomain } from './stages/stage-rules.js';

/**
 * A dual-write change: what the authoritative store committed, for the other store. It is
 * written in the same transaction as the change (a PostgreSQL row, or a node in the same
 * Neo4j transaction) and applied to the other store by the relay, idempotently by `changeId`
 * and in order per `aggregate` (a session with its messages, a feedback, a document).
 */
export interface ChangeEnvelope {
  changeId: string;
  domain: MigrationDomain;
  aggregate: string;
  change: Change;
  /** Recorded in PostgreSQL's audit log when the change reaches it (the legacy store keeps no audit). */
  audit: { actor: Actor; entry: AuditEntry };
  /** Events the change announces, published by the relay when legacy is authoritative (else PostgreSQL's outbox does). */
  events: OutgoingEvent[];
  /** Whether the change's data goes to PostgreSQL (at `legacy` only its audit and events do). */
  toPostgres: boolean;
}

/** Every change carries the full state after it, so applying it twice changes nothing. */
export type Change =
  | { kind: 'session.upsert'; session: SessionRow }
  // the session's state after the message: PostgreSQL may not have the session yet (before its backfill)
  | { kind: 'message.insert'; message: MessageRow; session: SessionRow }
  | { kind: 'feedback.insert'; feedback: FeedbackRow }
  // a document's state (row and quality; its chunks are written to Qdrant by ingestion at every stage)
  | { kind: 'document.upsert'; document: DocumentRow; quality: DocumentQualityRow | null };

const instant = z.string().transform((text, context): PreciseDate => {
  const parsed = parseInstant(text);
  if (!parsed) {
    context.addIssue({ code: 'custom', message: 'not an ISO-8601 timestamp' });
    return z.NEVER;
  }
  return parsed.instant;
});

const sessionRow = z.object({
  id: z.string(),
  patientId: z.string(),
  title: z.string().nullable(),
  status: z.enum(['active', 'ended', 'archived']),
  device: z.string().nullable(),
  createdAt: instant,
  lastActivity: instant,
  endedAt: instant.nullable(),
  messageCount: z.number().int(),
});

const messageRow = z.object({
  id: z.string(),
  sessionId: z.string(),
  patientId: z.string(),
  role: z.enum(['user', 'assistant', 'system']),
  content: z.string(),
  responseId: z.string().nullable(),
  confidence: z.number().nullable(),
  queryTimeSeconds: z.number().nullable(),
  sources: z.array(z.unknown()),
  reasoningTrail: z.array(z.unknown()),
  relatedConcepts: z.array(z.string()),
  createdAt: instant,
});

const feedbackRow = z.object({
  id: z.string(),
  responseId: z.string(),
  sessionId: z.string().nullable(),
  patientId: z.string().nullable(),
  actor: z.string().nullable(),
  queryText: z.string().nullable(),
  responseText: z.string().nullable(),
  rating: z.number().int(),
  feedbackType: z.enum(['helpful', 'unhelpful', 'incorrect', 'partially_correct', 'missing_info']),
  severity: z.enum(['critical', 'high', 'medium', 'low']).nullable(),
  correction: z.string().nullable(),
  entityIds: z.array(z.string()),
  layersTraversed: z.array(z.string()),
  queryHash: z.string().nullable(),
  createdAt: instant,
});

const documentRow = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  filename: z.string(),
  title: z.string().nullable(),
  source: z.string().nullable(),
  status: z.enum(['pending', 'processing', 'completed', 'failed']),
  chunkCount: z.number().int(),
  ingestAttempt: z.number().int(),
  failureReason: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
});

const qualityRow = documentQualityScores.extend({ documentId: z.string(), assessedAt: instant });

const change = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('session.upsert'), session: sessionRow }),
  z.object({ kind: z.literal('message.insert'), message: messageRow, session: sessionRow }),
  z.object({ kind: z.literal('feedback.insert'), feedback: feedbackRow }),
  z.object({ kind: z.literal('document.upsert'), document: documentRow, quality: qualityRow.nullable() }),
]);

const envelope = z.object({
  changeId: z.string(),
  domain: z.enum(['sessions', 'feedback', 'documents']),
  aggregate: z.string(),
  change,
  audit: z.object({
    actor: z.object({ sub: z.string(), role: z.enum(['patient', 'clinician', 'analyst', 'service', 'admin']) }),
    entry: z.object({ action: z.string(), entityType: z.string(), entityId: z.string(), oldValue: z.unknown().optional(), newValue: z.unknown().optional() }),
  }),
  events: z.array(z.object({ stream: z.string(), type: z.string().refine(isEventType, 'not an event type'), eventId: z.string(), payload: z.unknown() })),
  toPostgres: z.boolean(),
});

/** JSON with every timestamp to the microsecond (a Date's own JSON would drop microseconds). */
export function serializeChange(value: ChangeEnvelope): string {
  return JSON.stringify(value, function replace(this: Record<string, unknown>, key: string, current: unknown) {
    const original = this[key];
    return original instanceof Date ? exactIso(original) : current;
  });
}

/** Reads a stored change back; throws when it is not one (a bug or a tampered store, never skipped silently). */
export function parseChange(json: string | unknown): ChangeEnvelope {
  const value = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
  return envelope.parse(value) as ChangeEnvelope;
}

/** A new change with its own id. */
export function newChange(change: Omit<ChangeEnvelope, 'changeId'>): ChangeEnvelope {
  return { changeId: randomUUID(), ...change };
}

import { asc, inArray } from 'drizzle-orm';
import { writeAudit, type Actor } from './audit.js';
import type { Database, Executor } from './db.js';
import { enqueueEvent, type OutboxEvent } from './outbox.js';
import { derivePreferencePairs } from './preference-pairs.js';
import type { FeedbackType, Severity } from './schema/columns.js';
import { feedback } from './schema/index.js';

export type FeedbackRow = typeof feedback.$inferSelect;

export function findFeedbackBySessionIds(db: Executor, sessionIds: readonly string[]): Promise<FeedbackRow[]> {
  return db
    .select()
    .from(feedback)
    .where(inArray(feedback.sessionId, [...sessionIds]))
    .orderBy(asc(feedback.createdAt), asc(feedback.id));
}

export interface NewFeedback {
  responseId: string;
  sessionId: string | null;
  patientId: string | null;
  queryText: string | null;
  responseText: string | null;
  rating: number;
  feedbackType: FeedbackType;
  severity: Severity | null;
  correction: string | null;
  entityIds: string[];
  layersTraversed: string[];
}

/**
 * Stores the feedback, the preference pairs it gives, its audit row and its outbox event
 * in one transaction: the event is published after commit (see outbox.ts), so a Redis
 * outage delays it but never loses it.
 */
export function insertFeedback(db: Database, actor: Actor, input: NewFeedback, toEvent: (row: FeedbackRow) => OutboxEvent): Promise<FeedbackRow> {
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(feedback)
      .values({ ...input, actor: actor.sub })
      .returning();
    if (!created) throw new Error('INSERT INTO feedback returned no row');
    await derivePreferencePairs(tx, created);
    await writeAudit(tx, actor, { action: 'feedback.submit', entityType: 'feedback', entityId: created.id, newValue: created });
    await enqueueEvent(tx, toEvent(created));
    return created;
  });
}


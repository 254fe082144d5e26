import { and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { AppError, conflict } from '../../../lib/errors.js';
import { writeAudit, type Actor } from './audit.js';
import type { Database, Executor } from './db.js';
import { enqueueEvent, type OutboxEvent } from './outbox.js';
import { derivePreferencePairs } from './preference-pairs.js';
import type { FeedbackType, Severity } from './schema/columns.js';
import { feedback, messages, type FeedbackRow } from './schema/index.js';
import type { MessageRow } from './messages.js';


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

/** An assistant answer, found by its response id, and the question it answered (the user message just before it). */
export interface RatedAnswer {
  answer: MessageRow;
  question: MessageRow | null;
}

/** The newest assistant message with this response id, and the user message before it in its session. */
export async function findRatedAnswer(db: Executor, responseId: string): Promise<RatedAnswer | undefined> {
  const [answer] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.responseId, responseId), eq(messages.role, 'assistant')))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1);
  if (!answer) return undefined;
  const [question] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.sessionId, answer.sessionId),
        eq(messages.role, 'user'),
        or(lt(messages.createdAt, answer.createdAt), and(eq(messages.createdAt, answer.createdAt), lt(messages.id, answer.id))),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1);
  return { answer, question: question ?? null };
}

/** How much feedback one patient may give in 24 hours: in all, and about any one entity. */
export interface FeedbackLimits {
  perPatientPerDay: number;
  perEntityPerDay: number;
}

const rateLimitedFeedback = (message: string) => new AppError('RATE_LIMITED', message);

/**
 * Refuses feedback past the limits: one rating per caller and answer (CONFLICT), at most
 * `perPatientPerDay` feedback about one patient's answers, and at most `perEntityPerDay` of them
 * about any one entity (RATE_LIMITED naming it). Call inside the transaction that inserts, after
 * `lockPatientFeedback`, so concurrent submissions for a patient are counted one after another.
 */
async function checkFeedbackLimits(tx: Executor, actor: Actor, input: NewFeedback, limits: FeedbackLimits): Promise<void> {
  const [again] = await tx
    .select({ id: feedback.id })
    .from(feedback)
    .where(and(eq(feedback.responseId, input.responseId), eq(feedback.actor, actor.sub)))
    .limit(1);
  if (again) throw conflict(`You already rated response ${input.responseId}`);
  if (!input.patientId) return;
  const since = sql`now() - interval '24 hours'`;
  const [today] = await tx
    .select({ total: sql<number>`count(*)::int` })
    .from(feedback)
    .where(and(eq(feedback.patientId, input.patientId), sql`${feedback.createdAt} > ${since}`));
  if ((today?.total ?? 0) >= limits.perPatientPerDay) {
    throw rateLimitedFeedback(`At most ${limits.perPatientPerDay} feedback a day may be given about one patient's answers; try again tomorrow`);
  }
  if (input.entityIds.length === 0) return;
  const entities = sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(input.entityIds)}::jsonb))`;
  const busy = await tx.execute<{ entity: string }>(sql`
    SELECT entity FROM feedback, unnest(entity_ids) AS entity
    WHERE patient_id = ${input.patientId} AND created_at > ${since} AND entity_ids && ${entities} AND entity = ANY(${entities})
    GROUP BY entity HAVING count(*) >= ${limits.perEntityPerDay} LIMIT 1`);
  const entity = busy.rows[0]?.entity;
  if (entity) throw rateLimitedFeedback(`At most ${limits.perEntityPerDay} feedback a day may concern entity ${entity}; try again tomorrow`);
}

/**
 * Stores the feedback, the preference pairs it gives, its audit row and its outbox event
 * in one transaction (after the limits above): the event is published after commit (see
 * outbox.ts), so a Redis outage delays it but never loses it.
 */
export function insertFeedback(db: Database, actor: Actor, input: NewFeedback, limits: FeedbackLimits, toEvent: (row: FeedbackRow) => OutboxEvent): Promise<FeedbackRow> {
  return db.transaction(async (tx) => {
    // one transaction at a time per patient (or per caller, without one): the counts stay exact
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`feedback:${input.patientId ?? actor.sub}`}, 0))`);
    await checkFeedbackLimits(tx, actor, input, limits);
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

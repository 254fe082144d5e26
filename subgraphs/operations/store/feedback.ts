import { and, asc, desc, eq, lt, or, sql } from 'drizzle-orm';
import { checkFeedbackLimits, type FeedbackLimits, type RecentFeedback } from '../rules/feedback-limits.js';
import { writeAudit, type Actor, type WithinChange } from './audit.js';
import { preciseNow } from '../../../lib/precise-time.js';
import type { Database, Executor } from './db.js';
import { derivePreferencePairs } from './preference-pairs.js';
import type { FeedbackType, Severity } from './schema/columns.js';
import { feedback, messages, type FeedbackRow } from './schema/index.js';
import type { MessageRow } from './messages.js';
import { anyOf } from './any-of.js';


export function findFeedbackBySessionIds(db: Executor, sessionIds: readonly string[]): Promise<FeedbackRow[]> {
  return db
    .select()
    .from(feedback)
    .where(anyOf(feedback.sessionId, sessionIds))
    .orderBy(asc(feedback.createdAt), asc(feedback.id));
}

export interface NewFeedback {
  id: string;
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

/**
 * Counts one transaction at a time per patient (or per caller, without one): call inside the
 * transaction that inserts, after `lockPatientFeedback`, so the counts stay exact.
 */
async function countRecentFeedback(tx: Executor, actor: Actor, input: NewFeedback): Promise<RecentFeedback> {
  const [again] = await tx
    .select({ id: feedback.id })
    .from(feedback)
    .where(and(eq(feedback.responseId, input.responseId), eq(feedback.actor, actor.sub)))
    .limit(1);
  if (again || !input.patientId) return { alreadyRated: again !== undefined, patientToday: 0, busiestEntity: null };
  const since = sql`now() - interval '24 hours'`;
  const [today] = await tx
    .select({ total: sql<number>`count(*)::int` })
    .from(feedback)
    .where(and(eq(feedback.patientId, input.patientId), sql`${feedback.createdAt} > ${since}`));
  if (input.entityIds.length === 0) return { alreadyRated: false, patientToday: today?.total ?? 0, busiestEntity: null };
  const entities = sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(input.entityIds)}::jsonb))`;
  const busiest = await tx.execute<{ entity: string; total: number }>(sql`
    SELECT entity, count(*)::int AS total FROM feedback, unnest(entity_ids) AS entity
    WHERE patient_id = ${input.patientId} AND created_at > ${since} AND entity_ids && ${entities} AND entity = ANY(${entities})
    GROUP BY entity ORDER BY total DESC, entity LIMIT 1`);
  const top = busiest.rows[0];
  return { alreadyRated: false, patientToday: today?.total ?? 0, busiestEntity: top ? { id: top.entity, count: top.total } : null };
}

/**
 * Stores the feedback, the preference pairs it gives and its audit row in one transaction (after
 * the limits above); `within` adds what goes with it (its outbox event: published after commit,
 * see outbox.ts, so a Redis outage delays it but never loses it).
 */
export function insertFeedback(db: Database, actor: Actor, input: NewFeedback, limits: FeedbackLimits, within?: WithinChange<FeedbackRow>): Promise<FeedbackRow> {
  return db.transaction(async (tx) => {
    // one transaction at a time per patient (or per caller, without one): the counts stay exact
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`feedback:${input.patientId ?? actor.sub}`}, 0))`);
    checkFeedbackLimits(input.responseId, await countRecentFeedback(tx, actor, input), limits);
    const [created] = await tx
      .insert(feedback)
      .values({ ...input, actor: actor.sub, createdAt: preciseNow() })
      .returning();
    if (!created) throw new Error('INSERT INTO feedback returned no row');
    await derivePreferencePairs(tx, [created]);
    const audit = { action: 'feedback.submit', entityType: 'feedback', entityId: created.id, newValue: created };
    await writeAudit(tx, actor, audit);
    await within?.(tx, created, audit);
    return created;
  });
}

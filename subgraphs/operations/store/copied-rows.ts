import { inArray, sql } from 'drizzle-orm';
import { exactIso } from '../../../lib/precise-time.js';
import type { Executor } from './db.js';
import { derivePreferencePairs } from './preference-pairs.js';
import { feedback, messages, sessions, type FeedbackRow } from './schema/index.js';
import type { MessageRow } from './messages.js';
import type { SessionRow } from './sessions.js';

/**
 * Rows that reach PostgreSQL from the legacy store: by the dual-write relay (a change the
 * legacy store committed) or by the backfill. Each statement is idempotent: applying the
 * same rows again changes nothing. A session's message count and last activity are derived
 * from its messages here, so they never depend on how often or in which order rows arrived.
 */

/**
 * Sessions in their full state. `replace`: a newer state (the relay, in commit order);
 * `insert-missing`: only sessions PostgreSQL lacks (the backfill never overwrites what dual-write put there).
 */
export async function copySessions(tx: Executor, rows: readonly SessionRow[], mode: 'replace' | 'insert-missing'): Promise<string[]> {
  const written = await writeSessions(tx, rows, mode);
  await refreshSessionActivity(tx, rows.map((row) => row.id));
  return written;
}

/** Sessions PostgreSQL lacks with their messages (the backfill): the ids of the records inserted, each kind apart. */
export async function copyConversations(tx: Executor, rows: readonly SessionRow[], messageRows: readonly MessageRow[]): Promise<{ sessions: string[]; messages: string[] }> {
  const sessionIds = await writeSessions(tx, rows, 'insert-missing');
  const messageIds = await writeMessages(tx, messageRows);
  await refreshSessionActivity(tx, [...new Set([...rows.map((row) => row.id), ...messageRows.map((row) => row.sessionId)])]);
  return { sessions: sessionIds, messages: messageIds };
}

async function writeSessions(tx: Executor, rows: readonly SessionRow[], mode: 'replace' | 'insert-missing'): Promise<string[]> {
  if (rows.length === 0) return [];
  const insert = tx.insert(sessions).values(rows.map((row) => ({ ...row })));
  const written =
    mode === 'insert-missing'
      ? await insert.onConflictDoNothing({ target: sessions.id }).returning({ id: sessions.id })
      : await insert
          .onConflictDoUpdate({
            target: sessions.id,
            set: {
              patientId: sql`excluded.patient_id`,
              title: sql`excluded.title`,
              status: sql`excluded.status`,
              device: sql`excluded.device`,
              createdAt: sql`excluded.created_at`,
              endedAt: sql`excluded.ended_at`,
            },
          })
          .returning({ id: sessions.id });
  return written.map((row) => row.id);
}

/** Messages PostgreSQL lacks (by id); returns the ids inserted. Their sessions' counts follow. */
export async function copyMessages(tx: Executor, rows: readonly MessageRow[]): Promise<string[]> {
  const inserted = await writeMessages(tx, rows);
  await refreshSessionActivity(tx, [...new Set(rows.map((row) => row.sessionId))]);
  return inserted;
}

/**
 * Messages PostgreSQL lacks, as one statement over column arrays: the backfill moves hundreds
 * of thousands, and one parameter per column (not per value; `sql.param` keeps drizzle from
 * spreading an array into a list) keeps building and parsing cheap.
 */
async function writeMessages(tx: Executor, rows: readonly MessageRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const column = <T>(pick: (row: MessageRow) => T) => sql.param(rows.map(pick));
  const result = await tx.execute<{ id: string }>(sql`
    INSERT INTO ${messages} (id, session_id, patient_id, role, content, response_id, confidence, query_time_seconds, sources, reasoning_trail, related_concepts, created_at)
    SELECT m.id, m.session_id, m.patient_id, m.role, m.content, m.response_id, m.confidence, m.query_time_seconds, m.sources::jsonb, m.reasoning_trail::jsonb,
           ARRAY(SELECT jsonb_array_elements_text(m.related_concepts::jsonb)), m.created_at::timestamptz
    FROM unnest(${column((row) => row.id)}::text[], ${column((row) => row.sessionId)}::text[], ${column((row) => row.patientId)}::text[], ${column((row) => row.role)}::text[],
                ${column((row) => row.content)}::text[], ${column((row) => row.responseId)}::text[], ${column((row) => row.confidence)}::float8[], ${column((row) => row.queryTimeSeconds)}::float8[],
                ${column((row) => JSON.stringify(row.sources))}::text[], ${column((row) => JSON.stringify(row.reasoningTrail))}::text[], ${column((row) => JSON.stringify(row.relatedConcepts))}::text[],
                ${column((row) => exactIso(row.createdAt))}::text[])
      AS m(id, session_id, patient_id, role, content, response_id, confidence, query_time_seconds, sources, reasoning_trail, related_concepts, created_at)
    ON CONFLICT (id) DO NOTHING
    RETURNING id`);
  return result.rows.map((row) => row.id);
}

/** Feedback PostgreSQL lacks (by id), with the preference pairs each gives; returns the ids inserted. */
export async function copyFeedback(tx: Executor, rows: readonly FeedbackRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const column = <T>(pick: (row: FeedbackRow) => T) => sql.param(rows.map(pick));
  const result = await tx.execute<{ id: string }>(sql`
    INSERT INTO ${feedback} (id, response_id, session_id, patient_id, actor, query_text, response_text, rating, feedback_type, severity, correction, entity_ids, layers_traversed, created_at)
    SELECT f.id, f.response_id, f.session_id, f.patient_id, f.actor, f.query_text, f.response_text, f.rating, f.feedback_type, f.severity, f.correction,
           ARRAY(SELECT jsonb_array_elements_text(f.entity_ids::jsonb)), ARRAY(SELECT jsonb_array_elements_text(f.layers_traversed::jsonb)), f.created_at::timestamptz
    FROM unnest(${column((row) => row.id)}::text[], ${column((row) => row.responseId)}::text[], ${column((row) => row.sessionId)}::text[], ${column((row) => row.patientId)}::text[],
                ${column((row) => row.actor)}::text[], ${column((row) => row.queryText)}::text[], ${column((row) => row.responseText)}::text[], ${column((row) => row.rating)}::int4[],
                ${column((row) => row.feedbackType)}::text[], ${column((row) => row.severity)}::text[], ${column((row) => row.correction)}::text[],
                ${column((row) => JSON.stringify(row.entityIds))}::text[], ${column((row) => JSON.stringify(row.layersTraversed))}::text[], ${column((row) => exactIso(row.createdAt))}::text[])
      AS f(id, response_id, session_id, patient_id, actor, query_text, response_text, rating, feedback_type, severity, correction, entity_ids, layers_traversed, created_at)
    ON CONFLICT (id) DO NOTHING
    RETURNING id`);
  const inserted = new Set(result.rows.map((row) => row.id));
  await derivePreferencePairs(tx, rows.filter((row) => inserted.has(row.id)));
  return [...inserted];
}

/** Message count and last activity (the latest of the start and the messages) from the stored messages. */
export async function refreshSessionActivity(tx: Executor, sessionIds: readonly string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await tx
    .update(sessions)
    .set({
      messageCount: sql`(SELECT count(*)::int FROM messages m WHERE m.session_id = ${sessions.id})`,
      lastActivity: sql`greatest(${sessions.createdAt}, (SELECT max(m.created_at) FROM messages m WHERE m.session_id = ${sessions.id}))`,
    })
    .where(inArray(sessions.id, [...sessionIds]));
}

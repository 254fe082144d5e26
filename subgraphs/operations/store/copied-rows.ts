import { inArray, sql } from 'drizzle-orm';
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
  await refreshSessionActivity(tx, rows.map((row) => row.id));
  return written.map((row) => row.id);
}

/** Messages PostgreSQL lacks (by id); returns the ids inserted. Their sessions' counts follow. */
export async function copyMessages(tx: Executor, rows: readonly MessageRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await tx
    .insert(messages)
    .values(rows.map((row) => ({ ...row })))
    .onConflictDoNothing({ target: messages.id })
    .returning({ id: messages.id });
  await refreshSessionActivity(tx, [...new Set(rows.map((row) => row.sessionId))]);
  return inserted.map((row) => row.id);
}

/** Feedback PostgreSQL lacks (by id), with the preference pairs each gives; returns the ids inserted. */
export async function copyFeedback(tx: Executor, rows: readonly FeedbackRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await tx
    .insert(feedback)
    .values(rows.map(({ queryHash: _derived, ...row }) => row))
    .onConflictDoNothing({ target: feedback.id })
    .returning();
  for (const row of inserted) await derivePreferencePairs(tx, row);
  return inserted.map((row) => row.id);
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

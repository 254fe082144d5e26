import { and, eq, sql } from 'drizzle-orm';
import { notFound } from '../../../lib/errors.js';
import type { KeysetCursor } from '../paging/cursor.js';
import { writeAudit, type Actor, type WithinChange } from './audit.js';
import type { Database, Executor } from './db.js';
import { countWhere, newestFirst } from './paging.js';
import type { SessionStatus } from './schema/columns.js';
import { sessions } from './schema/index.js';
import { anyOf } from './any-of.js';
import { preparedPerExecutor } from './prepared.js';

export type SessionRow = typeof sessions.$inferSelect;

const sessionsByIds = preparedPerExecutor((db) => db.select().from(sessions).where(anyOf(sessions.id, sql.placeholder('ids'))).prepare('sessions_by_ids'));

export function findSessionsByIds(db: Executor, ids: readonly string[]): Promise<SessionRow[]> {
  return sessionsByIds(db).execute({ ids: [...ids] });
}

export interface SessionFilter {
  patientId: string;
  status?: SessionStatus | null;
}

function filterSessions(filter: SessionFilter) {
  return and(eq(sessions.patientId, filter.patientId), filter.status ? eq(sessions.status, filter.status) : undefined);
}

/** Most recently active first; returns up to `limit` rows after the cursor. */
export function listSessions(db: Executor, filter: SessionFilter, limit: number, after?: KeysetCursor): Promise<SessionRow[]> {
  const page = newestFirst(sessions.lastActivity, sessions.id, after);
  return db.select().from(sessions).where(and(filterSessions(filter), page.before)).orderBy(...page.order).limit(limit);
}

export function countSessions(db: Executor, filter: SessionFilter): Promise<number> {
  return countWhere(db, sessions, filterSessions(filter));
}

/** A session about to start: its id and start time are chosen by the caller, the same in both stores. */
export interface NewSession {
  id: string;
  patientId: string;
  title: string | null;
  device: string | null;
  createdAt: Date;
}

export function createSession(db: Database, actor: Actor, input: NewSession, within?: WithinChange<SessionRow>): Promise<SessionRow> {
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(sessions)
      .values({ ...input, lastActivity: input.createdAt })
      .returning();
    if (!created) throw new Error('INSERT INTO sessions returned no row');
    const audit = { action: 'session.start', entityType: 'session', entityId: created.id, newValue: created };
    await writeAudit(tx, actor, audit);
    await within?.(tx, created, audit);
    return created;
  });
}

/** The columns a session change may set. */
export type SessionPatch = Partial<Pick<SessionRow, 'title' | 'status' | 'endedAt'>>;

/**
 * Locks the session, lets `decide` check the current row (authorization, legal transition:
 * it throws to refuse) and return the change, applies it and audits old and new values.
 */
export function updateSession(db: Database, actor: Actor, id: string, action: string, decide: (current: SessionRow) => SessionPatch, within?: WithinChange<SessionRow>): Promise<SessionRow> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(sessions).where(eq(sessions.id, id)).for('update');
    if (!current) throw notFound('Session', id);
    const patch = decide(current);
    const [updated] = await tx.update(sessions).set(patch).where(eq(sessions.id, id)).returning();
    if (!updated) throw notFound('Session', id);
    const audit = { action, entityType: 'session', entityId: id, oldValue: current, newValue: updated };
    await writeAudit(tx, actor, audit);
    await within?.(tx, updated, audit);
    return updated;
  });
}

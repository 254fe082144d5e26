import { and, eq, inArray } from 'drizzle-orm';
import { notFound } from '../../../lib/errors.js';
import type { KeysetCursor } from '../paging/cursor.js';
import { writeAudit, type Actor } from './audit.js';
import type { Database, Executor } from './db.js';
import { countWhere, newestFirst } from './paging.js';
import type { SessionStatus } from './schema/columns.js';
import { sessions } from './schema/index.js';

export type SessionRow = typeof sessions.$inferSelect;

export function findSessionsByIds(db: Executor, ids: readonly string[]): Promise<SessionRow[]> {
  return db.select().from(sessions).where(inArray(sessions.id, [...ids]));
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

export interface NewSession {
  patientId: string;
  title: string | null;
  device: string | null;
}

export function createSession(db: Database, actor: Actor, input: NewSession): Promise<SessionRow> {
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(sessions).values(input).returning();
    if (!created) throw new Error('INSERT INTO sessions returned no row');
    await writeAudit(tx, actor, { action: 'session.start', entityType: 'session', entityId: created.id, newValue: created });
    return created;
  });
}

/** The columns a session change may set. */
export type SessionPatch = Partial<Pick<SessionRow, 'title' | 'status' | 'endedAt'>>;

/**
 * Locks the session, lets `decide` check the current row (authorization, legal transition:
 * it throws to refuse) and return the change, applies it and audits old and new values.
 */
export function updateSession(db: Database, actor: Actor, id: string, action: string, decide: (current: SessionRow) => SessionPatch): Promise<SessionRow> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(sessions).where(eq(sessions.id, id)).for('update');
    if (!current) throw notFound('Session', id);
    const patch = decide(current);
    const [updated] = await tx.update(sessions).set(patch).where(eq(sessions.id, id)).returning();
    if (!updated) throw notFound('Session', id);
    await writeAudit(tx, actor, { action, entityType: 'session', entityId: id, oldValue: current, newValue: updated });
    return updated;
  });
}

import { asc, gt } from 'drizzle-orm';
import type { Executor } from './db.js';
import type { MessageRow } from './messages.js';
import { documents, feedback, messages, sessions, type FeedbackRow } from './schema/index.js';
import type { SessionRow } from './sessions.js';
import { anyOf } from './any-of.js';

/** Every session, message, feedback and document row in pages by id (the migration's verification reads them all). */

export function sessionPage(db: Executor, after: string | null, limit: number): Promise<SessionRow[]> {
  return db.select().from(sessions).where(after === null ? undefined : gt(sessions.id, after)).orderBy(asc(sessions.id)).limit(limit);
}

export function messagePage(db: Executor, after: string | null, limit: number): Promise<MessageRow[]> {
  return db.select().from(messages).where(after === null ? undefined : gt(messages.id, after)).orderBy(asc(messages.id)).limit(limit);
}

export function feedbackPage(db: Executor, after: string | null, limit: number): Promise<FeedbackRow[]> {
  return db.select().from(feedback).where(after === null ? undefined : gt(feedback.id, after)).orderBy(asc(feedback.id)).limit(limit);
}

export function findFeedbackByIds(db: Executor, ids: readonly string[]): Promise<FeedbackRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select().from(feedback).where(anyOf(feedback.id, ids));
}

export function documentPage(db: Executor, after: string | null, limit: number): Promise<(typeof documents.$inferSelect)[]> {
  return db.select().from(documents).where(after === null ? undefined : gt(documents.id, after)).orderBy(asc(documents.id)).limit(limit);
}

import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { notFound } from '../../../lib/errors.js';
import { exactIso, notBefore, preciseNow } from '../../../lib/precise-time.js';
import type { KeysetCursor } from '../paging/cursor.js';
import { writeAudit, type Actor, type WithinChange } from './audit.js';
import type { Database, Executor } from './db.js';
import type { MessageRole } from './schema/columns.js';
import { messages, sessions } from './schema/index.js';
import type { SessionRow } from './sessions.js';
import { anyOf } from './any-of.js';
import { preparedPerExecutor } from './prepared.js';

export type MessageRow = typeof messages.$inferSelect;

const messagesByIds = preparedPerExecutor((db) => db.select().from(messages).where(anyOf(messages.id, sql.placeholder('ids'))).prepare('messages_by_ids'));

export function findMessagesByIds(db: Executor, ids: readonly string[]): Promise<MessageRow[]> {
  return messagesByIds(db).execute({ ids: [...ids] });
}

/** One page request: up to `limit` messages of a session after the cursor, oldest first. */
export interface MessagePageKey {
  sessionId: string;
  limit: number;
  after?: KeysetCursor;
}

const messagePages = preparedPerExecutor((db) => {
  const pageIds = sql`SELECT page.id FROM jsonb_to_recordset(${sql.placeholder('spec')}::jsonb) AS k(session_id text, lim int, after_at timestamptz, after_id text)
    CROSS JOIN LATERAL (
      SELECT m.id FROM messages m
      WHERE m.session_id = k.session_id AND (k.after_at IS NULL OR (m.created_at, m.id) > (k.after_at, k.after_id))
      ORDER BY m.created_at, m.id LIMIT k.lim
    ) AS page`;
  return db
    .select()
    .from(messages)
    .where(sql`${messages.id} IN (${pageIds})`)
    .orderBy(asc(messages.sessionId), asc(messages.createdAt), asc(messages.id))
    .prepare('message_pages');
});

/**
 * The messages of many pages in ONE statement, whatever the number of sessions: a lateral
 * join picks each page's ids through the (session_id, created_at, id) index. Rows come
 * ordered by session, then chronologically; the caller splits them per key.
 */
export function listMessagePages(db: Executor, keys: readonly MessagePageKey[]): Promise<MessageRow[]> {
  const spec = JSON.stringify(keys.map((key) => ({ session_id: key.sessionId, lim: key.limit, after_at: key.after ? exactIso(key.after.at) : null, after_id: key.after?.id ?? null })));
  return messagePages(db).execute({ spec });
}

/** A message about to be posted: its id is chosen by the caller, the same in both stores. */
export interface NewMessage {
  id: string;
  sessionId: string;
  role: MessageRole;
  content: string;
  responseId: string | null;
  confidence: number | null;
  relatedConcepts: string[];
}

/** A posted message and its session after it. */
export interface PostedMessage {
  message: MessageRow;
  session: SessionRow;
}

/**
 * Inserts the message and moves the session's last activity and message count in the same
 * transaction, with the session row locked; `check` refuses (throws) before anything is written.
 * The message's time is after the session's last activity: a session's messages keep their order.
 */
export function insertMessage(db: Database, actor: Actor, input: NewMessage, check: (session: SessionRow) => void, within?: WithinChange<PostedMessage>): Promise<MessageRow> {
  return db.transaction(async (tx) => {
    const [session] = await tx.select().from(sessions).where(eq(sessions.id, input.sessionId)).for('update');
    if (!session) throw notFound('Session', input.sessionId);
    check(session);
    const [created] = await tx
      .insert(messages)
      .values({ ...input, patientId: session.patientId, createdAt: notBefore(preciseNow(), session.lastActivity) })
      .returning();
    if (!created) throw new Error('INSERT INTO messages returned no row');
    const [moved] = await tx
      .update(sessions)
      .set({ lastActivity: created.createdAt, messageCount: sql`${sessions.messageCount} + 1` })
      .where(eq(sessions.id, session.id))
      .returning();
    if (!moved) throw notFound('Session', input.sessionId);
    const audit = { action: 'message.post', entityType: 'message', entityId: created.id, newValue: created };
    await writeAudit(tx, actor, audit);
    await within?.(tx, { message: created, session: moved }, audit);
    return created;
  });
}

/** The session an assistant answer belongs to, found by its response id. */
export async function findSessionIdByResponseId(db: Executor, responseId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ sessionId: messages.sessionId })
    .from(messages)
    .where(eq(messages.responseId, responseId))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return row?.sessionId;
}

export interface MessageHitRow {
  message: MessageRow;
  rank: number;
  snippet: string;
}

const contentTsv = sql`"messages"."content_tsv"`;

/**
 * Ranked full-text search over one patient's messages, with a highlighted snippet. When
 * nothing matches (a typo), falls back to trigram word similarity, ranked by similarity.
 */
export async function searchMessages(db: Executor, patientId: string, text: string, limit: number): Promise<MessageHitRow[]> {
  const query = sql`websearch_to_tsquery('english', ${text})`;
  const rank = sql<number>`ts_rank_cd(${contentTsv}, ${query})::float8`;
  const ranked = await db
    .select({
      message: messages,
      rank,
      snippet: sql<string>`ts_headline('english', ${messages.content}, ${query}, 'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, MaxFragments=2')`,
    })
    .from(messages)
    // `|| ''::tsvector` keeps the planner on the patient's own rows (messages_patient_created_idx):
    // a common word would otherwise make it AND in a GIN bitmap of every patient's matches
    .where(and(eq(messages.patientId, patientId), sql`(${contentTsv} || ''::tsvector) @@ ${query}`))
    .orderBy(desc(rank), desc(messages.createdAt))
    .limit(limit);
  if (ranked.length > 0) return ranked;
  const similarity = sql<number>`word_similarity(${text}, ${messages.content})::float8`;
  return db
    .select({
      message: messages,
      rank: similarity,
      snippet: sql<string>`CASE WHEN length(${messages.content}) > 160 THEN left(${messages.content}, 157) || '...' ELSE ${messages.content} END`,
    })
    .from(messages)
    .where(and(eq(messages.patientId, patientId), sql`${text} <% ${messages.content}`))
    .orderBy(desc(similarity), desc(messages.createdAt))
    .limit(limit);
}

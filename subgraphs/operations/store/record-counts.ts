import { count } from 'drizzle-orm';
import type { Executor } from './db.js';
import { documents, feedback, messages, sessions } from './schema/index.js';

/** How many records of each kind the move compares (migration status, verify). */
export async function countMigratedRecords(db: Executor): Promise<{ sessions: number; messages: number; feedback: number; documents: number }> {
  const total = async (table: typeof sessions | typeof messages | typeof feedback | typeof documents) => (await db.select({ n: count() }).from(table))[0]?.n ?? 0;
  const [sessionCount, messageCount, feedbackCount, documentCount] = await Promise.all([total(sessions), total(messages), total(feedback), total(documents)]);
  return { sessions: sessionCount, messages: messageCount, feedback: feedbackCount, documents: documentCount };
}

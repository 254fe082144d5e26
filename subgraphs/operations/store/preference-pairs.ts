import { desc, gte, sql } from 'drizzle-orm';
import type { Executor } from './db.js';
import { preferencePairs, type FeedbackRow } from './schema/index.js';

export type PreferencePairRow = typeof preferencePairs.$inferSelect;

/** Smallest rating gap stored; queries and exports filter higher (the contract's default is 2). */
export const storedMinimumGap = 1;
/** Answers to the same question paired with one new feedback, newest first. */
const maxPairsPerFeedback = 20;

/**
 * The legacy derivation rules, applied to new feedback:
 * - a correction with rating <= 3: chosen = correction, rejected = response, gap = 5 - rating;
 * - the same query text (trimmed, case-insensitive) answered by another response whose rating
 *   differs by at least the stored minimum: chosen = the better-rated response.
 * Idempotent: a pair of feedbacks is stored once (unique constraint). For many rows at once
 * (the backfill) two statements do it all; new rows then also pair with each other.
 */
export async function derivePreferencePairs(tx: Executor, rows: readonly FeedbackRow[]): Promise<void> {
  const answered = rows.filter((row) => row.queryText?.trim() && row.responseText?.trim());
  if (answered.length === 0) return;
  const corrected = answered.filter((row) => row.correction?.trim() && row.rating <= 3 && row.correction.trim() !== row.responseText?.trim());
  if (corrected.length > 0) {
    await tx
      .insert(preferencePairs)
      .values(corrected.map((row) => ({ prompt: row.queryText ?? '', chosen: row.correction ?? '', rejected: row.responseText ?? '', ratingGap: 5 - row.rating, source: 'correction' as const, chosenFeedbackId: row.id, rejectedFeedbackId: row.id })))
      .onConflictDoNothing();
  }
  await tx.execute(sql`
    INSERT INTO preference_pairs (prompt, chosen, rejected, rating_gap, source, chosen_feedback_id, rejected_feedback_id)
    SELECT n.query_text,
           CASE WHEN n.rating > o.rating THEN n.response_text ELSE o.response_text END,
           CASE WHEN n.rating > o.rating THEN o.response_text ELSE n.response_text END,
           abs(n.rating - o.rating), 'rating_gap',
           CASE WHEN n.rating > o.rating THEN n.id ELSE o.id END,
           CASE WHEN n.rating > o.rating THEN o.id ELSE n.id END
    FROM feedback n
    CROSS JOIN LATERAL (
      SELECT o.id, o.rating, o.response_text FROM feedback o
      WHERE o.query_hash = n.query_hash AND o.id <> n.id
        AND lower(btrim(o.query_text)) = lower(btrim(n.query_text))
        AND abs(o.rating - n.rating) >= ${storedMinimumGap}
        AND btrim(coalesce(o.response_text, '')) NOT IN ('', btrim(n.response_text))
      ORDER BY o.created_at DESC LIMIT ${maxPairsPerFeedback}
    ) o
    WHERE n.id = ANY(${sql.param(answered.map((row) => row.id))}::text[])
    ON CONFLICT DO NOTHING`);
}

/** Widest gaps first. */
export function listPreferencePairs(db: Executor, minRatingGap: number, limit: number): Promise<PreferencePairRow[]> {
  return db
    .select()
    .from(preferencePairs)
    .where(gte(preferencePairs.ratingGap, minRatingGap))
    .orderBy(desc(preferencePairs.ratingGap), desc(preferencePairs.createdAt), desc(preferencePairs.id))
    .limit(limit);
}

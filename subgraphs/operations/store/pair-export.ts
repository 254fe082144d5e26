import type pg from 'pg';

export interface ExportPairRow {
  id: string;
  prompt: string;
  chosen: string;
  rejected: string;
  rating_gap: number;
  source: string;
  chosen_feedback_id: string;
  rejected_feedback_id: string;
  created_at: Date;
}

/**
 * Streams every pair with rating_gap >= minRatingGap through a server-side cursor, `batchSize`
 * rows per FETCH, so memory stays constant whatever the table size. `onBatch` may wait
 * (back-pressure); the cursor only advances after it resolves.
 */
export async function streamPreferencePairs(
  pool: pg.Pool,
  minRatingGap: number,
  onBatch: (rows: ExportPairRow[]) => Promise<void>,
  batchSize = 1000,
): Promise<number> {
  const client = await pool.connect();
  let exported = 0;
  try {
    // REPEATABLE READ: one consistent snapshot for the whole export
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(
      `DECLARE pair_export NO SCROLL CURSOR FOR
         SELECT id, prompt, chosen, rejected, rating_gap, source, chosen_feedback_id, rejected_feedback_id, created_at
         FROM preference_pairs WHERE rating_gap >= $1 ORDER BY created_at, id`,
      [minRatingGap],
    );
    for (;;) {
      const { rows } = await client.query<ExportPairRow>(`FETCH ${Math.trunc(batchSize)} FROM pair_export`);
      if (rows.length === 0) break;
      exported += rows.length;
      await onBatch(rows);
    }
    await client.query('COMMIT');
    return exported;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

import { sql } from 'drizzle-orm';
import type { Executor } from './db.js';
import { parseStoredTimestamp } from '../../../lib/precise-time.js';

export interface FeedbackDayRow {
  day: Date;
  total: number;
  avgRating: number | null;
  positive: number;
  negative: number;
  corrections: number;
}

export interface LayerPerformanceRow {
  layer: string;
  avgRating: number | null;
  queryCount: number;
  negativeCount: number;
}

/** The analytics materialized views, in refresh order. */
export const analyticsViews = ['feedback_daily_stats', 'layer_performance'] as const;

/** The last `days` UTC days (today included) that had feedback, oldest first. */
export async function readFeedbackDailyStats(db: Executor, days: number): Promise<FeedbackDayRow[]> {
  const result = await db.execute<{ day: string; total: number; avg_rating: number | null; positive: number; negative: number; corrections: number }>(sql`
    SELECT day, total, avg_rating, positive, negative, corrections FROM feedback_daily_stats
    WHERE day >= date_trunc('day', now(), 'UTC') - make_interval(days => ${days - 1})
    ORDER BY day`);
  return result.rows.map((row) => ({ day: parseStoredTimestamp(row.day), total: row.total, avgRating: row.avg_rating, positive: row.positive, negative: row.negative, corrections: row.corrections }));
}

export async function readLayerPerformance(db: Executor): Promise<LayerPerformanceRow[]> {
  const result = await db.execute<{ layer: string; avg_rating: number | null; query_count: number; negative_count: number }>(
    sql`SELECT layer, avg_rating, query_count, negative_count FROM layer_performance ORDER BY layer`,
  );
  return result.rows.map((row) => ({ layer: row.layer, avgRating: row.avg_rating, queryCount: row.query_count, negativeCount: row.negative_count }));
}

/** CONCURRENTLY: readers keep the old rows while the new ones are computed. */
export async function refreshAnalyticsViews(db: Executor): Promise<string[]> {
  for (const view of analyticsViews) await db.execute(sql`REFRESH MATERIALIZED VIEW CONCURRENTLY ${sql.identifier(view)}`);
  return [...analyticsViews];
}

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvent } from '../../lib/events.js';
import { withRedisLock } from '../../lib/redis-lock.js';
import { errorCode, startHarness, type OperationsHarness } from './support.js';

interface DayStats {
  day: string;
  total: number;
  avgRating: number | null;
  positive: number;
  negative: number;
  corrections: number;
}

describe('operations: analytics views and their refresh', () => {
  let h: OperationsHarness;
  let redis: Redis;
  let analyst: string;
  const lockKey = () => `${h.config.eventStreamPrefix}:lock:operations:analytics-refresh`;

  beforeAll(async () => {
    h = await startHarness();
    redis = new Redis(h.config.redis.url);
    analyst = await h.token('analyst');
    // fixtures on a day 300 days ago that only this test writes to (earlier runs' rows removed)
    await h.sql.query(`DELETE FROM feedback WHERE id LIKE 'viewtest-%'`);
    await h.sql.query(
      `INSERT INTO feedback (id, response_id, rating, feedback_type, correction, layers_traversed, created_at)
       SELECT 'viewtest-' || $1 || '-' || i, 'r', r.rating, 'helpful', r.correction, r.layers, date_trunc('day', now(), 'UTC') - interval '300 days' + make_interval(hours => i)
       FROM (VALUES (1, 5, NULL, ARRAY['PERCEPTION']), (2, 4, 'better', ARRAY['PERCEPTION','APPLICATION']), (3, 1, NULL, ARRAY['APPLICATION']), (4, 3, '', ARRAY[]::text[]))
            AS r(i, rating, correction, layers)`,
      [h.run],
    );
  });
  afterAll(async () => {
    redis.disconnect();
    await h.stop();
  });

  it('refreshAnalytics refreshes both views concurrently and feedbackDailyStats shows the day exactly', async () => {
    const refreshed = await h.gql<{ refreshAnalytics: string[] }>(`mutation { refreshAnalytics }`, {}, analyst);
    expect(refreshed.data?.refreshAnalytics).toEqual(['feedback_daily_stats', 'layer_performance']);
    const stats = await h.gql<{ feedbackDailyStats: DayStats[] }>(`{ feedbackDailyStats(days: 301) { day total avgRating positive negative corrections } }`, {}, analyst);
    const { rows } = await h.sql.query<{ day: Date }>(`SELECT date_trunc('day', now(), 'UTC') - interval '300 days' AS day`);
    const day = stats.data?.feedbackDailyStats.find((row) => row.day === rows[0]!.day.toISOString());
    expect(day).toEqual({ day: rows[0]!.day.toISOString(), total: 4, avgRating: 3.25, positive: 2, negative: 1, corrections: 1 });
    const shorter = await h.gql<{ feedbackDailyStats: DayStats[] }>(`{ feedbackDailyStats(days: 30) { day } }`, {}, analyst);
    expect(shorter.data?.feedbackDailyStats.some((row) => row.day === rows[0]!.day.toISOString())).toBe(false);
  });

  it('layerPerformance matches the live aggregate after a refresh', async () => {
    await h.gql(`mutation { refreshAnalytics }`, {}, analyst);
    const result = await h.gql<{ layerPerformance: { layer: string; avgRating: number; queryCount: number; negativeCount: number }[] }>(
      `{ layerPerformance { layer avgRating queryCount negativeCount } }`,
      {},
      analyst,
    );
    const { rows } = await h.sql.query(
      `SELECT layer, avg(rating)::float8 AS "avgRating", count(*)::int AS "queryCount", (count(*) FILTER (WHERE rating <= 2))::int AS "negativeCount"
       FROM feedback CROSS JOIN LATERAL unnest(layers_traversed) AS layer WHERE layer IN ('PERCEPTION', 'APPLICATION') GROUP BY layer ORDER BY layer`,
    );
    expect(result.data?.layerPerformance.filter((row) => ['PERCEPTION', 'APPLICATION'].includes(row.layer))).toEqual(rows);
  });

  it('only one process refreshes at a time: a held lock gives CONFLICT and is left untouched', async () => {
    await redis.set(lockKey(), 'other-process', 'PX', 10_000);
    try {
      const result = await h.gql(`mutation { refreshAnalytics }`, {}, analyst);
      expect(errorCode(result)).toBe('CONFLICT');
      expect(await redis.get(lockKey())).toBe('other-process');
    } finally {
      await redis.del(lockKey());
    }
    const patient = await h.gql(`mutation { refreshAnalytics }`, {}, await h.token('patient', 'p'));
    expect(errorCode(patient)).toBe('FORBIDDEN');
  });

  it('a lock that expired and was taken by another holder is not released by the late one', async () => {
    const key = `${h.config.eventStreamPrefix}:lock:test`;
    const outcome = await withRedisLock(redis, key, 100, async () => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await redis.set(key, 'next-holder', 'PX', 10_000);
      return 'done';
    });
    expect(outcome).toEqual({ acquired: true, result: 'done' });
    expect(await redis.get(key)).toBe('next-holder');
    expect(await withRedisLock(redis, key, 100, async () => 'never')).toEqual({ acquired: false });
    await redis.del(key);
  });

  it("stores each gateway query.completed event once in query_analytics", async () => {
    const event = {
      id: `query:${h.run}:1`,
      type: 'query.completed',
      payload: { queryHash: `hash-${h.run}`, operationName: 'Sessions', durationMs: 12.5, cacheHit: true, subgraphs: ['operations', 'knowledge'], patientId: 'p1', hasErrors: false },
    };
    const stream = `${h.config.eventStreamPrefix}:analytics`;
    await publishEvent(redis, stream, event);
    await publishEvent(redis, stream, event);
    const read = () => h.sql.query(`SELECT operation_name, latency_ms, cache_hit, subgraphs, patient_id, has_errors FROM query_analytics WHERE query_hash = $1`, [`hash-${h.run}`]);
    for (let i = 0; i < 50 && (await read()).rows.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await read()).rows).toEqual([{ operation_name: 'Sessions', latency_ms: 12.5, cache_hit: true, subgraphs: ['operations', 'knowledge'], patient_id: 'p1', has_errors: false }]);
  });
});

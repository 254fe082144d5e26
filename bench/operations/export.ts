import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { signDevToken } from '../../lib/auth.js';
import { startOperations } from '../../subgraphs/operations/server.js';
import { prepareBenchConfig } from './bench-database.js';

/**
 * Export benchmark (not a test): one million preference pairs streamed as JSON Lines through
 * GET /export/preference-pairs, while the process's heap is sampled: it must stay flat.
 * Pairs cross 1,000 "chosen" with 1,000 "rejected" feedback rows (the pair key is unique).
 * `npm run bench:operations` runs it with a 64 MiB old-space cap: 131 MiB of output cannot
 * fit, so finishing at all shows the export does not buffer.
 */
const side = 1000;
/** Pairs with b <= smallShare get gap 4: `minRatingGap=4` exports a tenth, to compare memory peaks. */
const smallShare = 100;
const config = await prepareBenchConfig();
const pool = new pg.Pool({ connectionString: config.postgres.url, max: 1 });
const { rows } = await pool.query<{ n: string; wide: string }>(
  `SELECT count(*) AS n, count(*) FILTER (WHERE rating_gap = 4) AS wide FROM preference_pairs WHERE prompt LIKE 'export bench %'`,
);
if (Number(rows[0]?.n) !== side * side || Number(rows[0]?.wide) !== side * smallShare) {
  const started = performance.now();
  await pool.query(`DELETE FROM feedback WHERE id LIKE 'export-bench-%'`);
  await pool.query(
    `INSERT INTO feedback (id, response_id, rating, feedback_type)
     SELECT 'export-bench-' || side || '-' || i, 'r', CASE side WHEN 'good' THEN 5 ELSE 2 END, 'helpful'
     FROM generate_series(1, $1) AS i CROSS JOIN (VALUES ('good'), ('bad')) AS s(side)`,
    [side],
  );
  await pool.query(
    `INSERT INTO preference_pairs (prompt, chosen, rejected, rating_gap, source, chosen_feedback_id, rejected_feedback_id)
     SELECT 'export bench ' || g || ' ' || b, 'a chosen answer of moderate length ' || g, 'a rejected answer of moderate length ' || b,
            CASE WHEN b <= $2 THEN 4 ELSE 3 END, 'rating_gap',
            'export-bench-good-' || g, 'export-bench-bad-' || b
     FROM generate_series(1, $1) AS g CROSS JOIN generate_series(1, $1) AS b`,
    [side, smallShare],
  );
  console.log(`loaded ${side * side} pairs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
await pool.end();

const service = await startOperations(config, 0);
const token = await signDevToken(config.auth, { sub: 'bench', role: 'analyst' });
const mib = (value: number) => `${(value / 1024 / 1024).toFixed(0)} MiB`;

/** Streams one export, sampling this process's memory meanwhile (server and client share it). */
async function measureExport(minRatingGap: number): Promise<void> {
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakRss = baseline.rss;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakHeap = Math.max(peakHeap, usage.heapUsed);
    peakRss = Math.max(peakRss, usage.rss);
  }, 20);
  const started = performance.now();
  const url = service.url.replace(/\/graphql$/, `/export/preference-pairs?format=dpo&minRatingGap=${minRatingGap}`);
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  let lines = 0;
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  console.log(
    `${String(lines).padStart(8)} lines (${mib(bytes).padStart(8)}) in ${seconds.toFixed(1)} s, ${Math.round(lines / seconds)} rows/s; ` +
      `heap ${mib(baseline.heapUsed)} -> peak ${mib(peakHeap)}, rss ${mib(baseline.rss)} -> peak ${mib(peakRss)}`,
  );
}

await measureExport(4);
await measureExport(2);
await measureExport(4);
await service.stop();

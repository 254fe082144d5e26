import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import pg from 'pg';
import { signDevToken } from '../../lib/auth.js';
import { requestGraphQL } from '../../lib/graphql-client.js';
import type { OperationsContext } from '../../subgraphs/operations/context.js';
import { startOperations } from '../../subgraphs/operations/server.js';
import { prepareBenchConfig } from './bench-database.js';
import { countDataset, loadDataset, longSessionMessages, vocabulary, volumes } from './dataset.js';
import { percentile } from '../../lib/percentile.js';

/**
 * Operations subgraph benchmark (not a test): loads 10,000 sessions, 200,000 messages and
 * 50,000 feedback rows into a database of its own (`<db>_bench_operations`, so shared test
 * data is untouched) and prints p50/p95 of four queries measured at the subgraph's HTTP
 * endpoint. `--reload` reloads the data set even when it is already there.
 */
const iterations = 400;
const warmup = 40;
const config = await prepareBenchConfig();
const pool = new pg.Pool({ connectionString: config.postgres.url, max: 2 });
const client = await pool.connect();
let counts = await countDataset(client);
if (process.argv.includes('--reload') || counts.sessions !== volumes.sessions || counts.messages !== volumes.messages || counts.feedback !== volumes.feedback) {
  const started = performance.now();
  await loadDataset(client);
  counts = await countDataset(client);
  console.log(`loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
client.release();
await pool.end();
console.log(`data set: ${counts.sessions} sessions, ${counts.messages} messages, ${counts.feedback} feedback rows`);

/** Time inside the subgraph, from request start to response ready (no HTTP client, no socket). */
const serverTimes: number[] = [];
const timing: ApolloServerPlugin<OperationsContext> = {
  requestDidStart: async () => {
    const started = performance.now();
    return { willSendResponse: async () => void serverTimes.push(performance.now() - started) };
  },
};
const service = await startOperations(config, 0, { plugins: [timing] });
const token = await signDevToken(config.auth, { sub: 'bench', role: 'clinician' });
const analyst = await signDevToken(config.auth, { sub: 'bench-analyst', role: 'analyst' });
const pick = <T>(values: readonly T[], i: number): T => values[i % values.length] as T;

interface Case {
  name: string;
  targetMs: number;
  run: (i: number) => Promise<unknown>;
}

const cases: Case[] = [
  {
    name: "a patient's session list (20)",
    targetMs: 10,
    run: (i) =>
      requestGraphQL(service.url, `query($p: ID!) { sessions(patientId: $p, first: 20) { totalCount edges { node { id title status lastActivity messageCount } } } }`, { p: `bench-pt-${(i * 37) % volumes.patients}` }, { token }),
  },
  {
    name: `one session with ${50} messages`,
    targetMs: 10,
    run: (i) =>
      requestGraphQL(service.url, `query($id: ID!) { session(id: $id) { id title messages(first: 50) { totalCount edges { node { id role content createdAt } } } } }`, { id: `bench-s${5 * (1 + ((i * 53) % (volumes.sessions / 5)))}` }, { token }),
  },
  {
    name: 'feedbackDailyStats(30)',
    targetMs: 20,
    run: () => requestGraphQL(service.url, `{ feedbackDailyStats(days: 30) { day total avgRating positive negative corrections } }`, {}, { token: analyst }),
  },
  {
    name: 'searchMessages (20)',
    targetMs: 30,
    run: (i) =>
      requestGraphQL(service.url, `query($p: ID!, $t: String!) { searchMessages(patientId: $p, text: $t) { rank snippet message { id } } }`, { p: `bench-pt-${(i * 41) % volumes.patients}`, t: pick(vocabulary, i * 7) }, { token }),
  },
];


console.log(`\n${iterations} sequential requests per query after ${warmup} warm-up requests (long sessions hold ${longSessionMessages} messages)\n`);
console.log('                                   in the subgraph   round trip (HTTP)');
console.log('query                               p50 ms  p95 ms    p50 ms  p95 ms   target p95');
for (const bench of cases) {
  for (let i = 0; i < warmup; i += 1) await bench.run(i);
  const times: number[] = [];
  serverTimes.length = 0;
  for (let i = 0; i < iterations; i += 1) {
    const started = performance.now();
    await bench.run(i);
    times.push(performance.now() - started);
  }
  const inside = [...serverTimes].sort((a, b) => a - b);
  times.sort((a, b) => a - b);
  const p95 = percentile(inside, 95);
  const figures = [percentile(inside, 50), p95, percentile(times, 50), percentile(times, 95)].map((ms) => ms.toFixed(2).padStart(7));
  console.log(`${bench.name.padEnd(34)} ${figures.join(' ')}   < ${String(bench.targetMs).padStart(2)} ms ${p95 < bench.targetMs ? 'ok' : 'MISSED'}`);
}
// the machine is shared: p95 on a loaded 2-core box says more about the neighbours than about us
console.log(`\nload average ${loadavg().map((load) => load.toFixed(2)).join(' ')} on ${cpus().length} cores`);
await service.stop();

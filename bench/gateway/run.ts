import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { signDevToken } from '../../lib/auth.js';
import { loadConfig } from '../../lib/config.js';
import { runLoad, type Exchange, type LoadResult } from './load.js';

/**
 * `npm run bench [-- --duration 10 --clients 50]`: the same query through our gateway (with and
 * without its response cache), @apollo/gateway with its defaults and Hive Gateway, each in its own
 * process over the same subgraphs (another process), plus the direct subgraph requests the query
 * plan needs as the floor. Prints RPS, p50/p95/p99 and ratios.
 */
const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, clients: { type: 'string', default: '50' }, warmup: { type: 'string', default: '3' } } });
const options = { clients: Number(values.clients), durationMs: Number(values.duration) * 1000, warmupMs: Number(values.warmup) * 1000 };
const config = loadConfig();
const children: ChildProcess[] = [];

async function startProcess(role: string, file: string): Promise<{ child: ChildProcess; info: { url?: string; urls?: Record<string, string> } }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'serve.ts'), role, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.startsWith('{')) return { child, info: JSON.parse(line) as { url?: string; urls?: Record<string, string> } };
  }
  throw new Error(`${role} exited before listening`);
}

const sessionId = 'bench-s1';
const query = 'query Bench($id: ID!) { session(id: $id) { title patient { allergies { substance } } summary } }';
const viaGateway = (url: string): Exchange => async (post) => {
  await post(url, JSON.stringify({ query, variables: { id: sessionId } }));
};

/** What the query plan fetches: the session, then the patient's allergies and the summary in parallel. */
const direct = (urls: Record<string, string>): Exchange => async (post) => {
  const first = JSON.parse(
    await post(urls.sessions as string, JSON.stringify({ query: 'query($id:ID!){session(id:$id){__typename id title patient{__typename id}}}', variables: { id: sessionId } })),
  ) as { data: { session: { id: string; patient: { id: string } } } };
  const { session } = first.data;
  await Promise.all([
    post(urls.patients as string, JSON.stringify({ query: 'query($r:[_Any!]!){_entities(representations:$r){...on Patient{allergies{substance}}}}', variables: { r: [{ __typename: 'Patient', id: session.patient.id }] } })),
    post(urls.notes as string, JSON.stringify({ query: 'query($r:[_Any!]!){_entities(representations:$r){...on Session{summary}}}', variables: { r: [{ __typename: 'Session', id: session.id }] } })),
  ]);
};

async function main(): Promise<void> {
  const file = join(await mkdtemp(join(tmpdir(), 'gateway-bench-')), 'supergraph.graphql');
  const token = await signDevToken(config.auth, { sub: 'bench', role: 'clinician' });
  const headers = { authorization: `Bearer ${token}` };
  const { info: subgraphs } = await startProcess('subgraphs', file);
  const results: Record<string, LoadResult> = {};
  console.log(`${options.clients} clients, ${options.durationMs / 1000} s each after ${options.warmupMs / 1000} s warm-up`);
  results.floor = await runLoad(direct(subgraphs.urls ?? {}), { ...options, headers });
  for (const role of ['ours', 'ours-nocache', 'apollo', 'hive']) {
    const { child, info } = await startProcess(role, file);
    results[role] = await runLoad(viaGateway(info.url as string), { ...options, headers });
    child.kill('SIGTERM');
  }
  const rows = Object.entries(results).map(([name, r]) => ({
    name,
    rps: r.rps.toFixed(0),
    p50: r.p50.toFixed(2),
    p95: r.p95.toFixed(2),
    p99: r.p99.toFixed(2),
    errors: r.errors,
    'vs apollo': ((r.rps / (results.apollo?.rps ?? Number.NaN)) || 0).toFixed(2),
    'vs hive': ((r.rps / (results.hive?.rps ?? Number.NaN)) || 0).toFixed(2),
  }));
  console.table(rows);
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGTERM');
}

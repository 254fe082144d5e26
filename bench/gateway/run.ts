import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { signDevToken } from '../../lib/auth.js';
import { loadConfig } from '../../lib/config.js';
import { crossStoreQuery, fetchCrossStoreDirect, pickSeededSession, type SubgraphUrls } from './cross-store.js';
import { createPost, runLoad, type Exchange, type LoadResult } from './load.js';

/**
 * `npm run bench [-- --duration 10 --clients 50 --session ID]`: the cross-store query on
 * a session `npm start` seeded (run it once first), through our gateway (response cache off and
 * on), @apollo/gateway and Hive Gateway in their default configurations, each in its own process
 * over the same real subgraphs (another process, over the running stores), plus the direct
 * subgraph requests of the query plan as the floor. Prints RPS, p50/p95/p99 and ratios.
 */
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    clients: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    session: { type: 'string' },
  },
});
const options = { clients: Number(values.clients), durationMs: Number(values.duration) * 1000, warmupMs: Number(values.warmup) * 1000 };
const config = loadConfig({ LOG_LEVEL: 'fatal', ...process.env });
const children: ChildProcess[] = [];

async function startProcess(role: string, file: string): Promise<{ child: ChildProcess; info: { url?: string; urls?: SubgraphUrls } }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'serve.ts'), role, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.startsWith('{')) return { child, info: JSON.parse(line) as { url?: string; urls?: SubgraphUrls } };
  }
  throw new Error(`${role} exited before listening`);
}

async function chooseSession(urls: SubgraphUrls, headers: Record<string, string>): Promise<string> {
  const { post, close } = createPost(headers, 4);
  try {
    const picked = values.session
      ? { id: values.session, shape: await fetchCrossStoreDirect(post, urls, values.session) }
      : await pickSeededSession(post, urls);
    if (!picked) throw new Error('no seeded session with mentions and passages: run `npm start` once (it seeds the demo data), then the benchmark');
    const { messages, mentions, passages } = picked.shape;
    console.log(`session ${picked.id}: ${messages} messages, ${mentions} distinct entities mentioned, ${passages} supporting passages`);
    return picked.id;
  } finally {
    close();
  }
}

async function answerOnce(url: string, body: string, headers: Record<string, string>): Promise<unknown> {
  const { post, close } = createPost(headers, 1);
  try {
    return JSON.parse(await post(url, body)) as unknown;
  } finally {
    close();
  }
}

function printTable(results: Record<string, LoadResult>): void {
  const ratio = (value: number, base: number | undefined) => (base ? (value / base).toFixed(2) : '-');
  console.table(
    Object.entries(results).map(([name, r]) => ({
      name,
      rps: r.rps.toFixed(0),
      p50: r.p50.toFixed(2),
      p95: r.p95.toFixed(2),
      p99: r.p99.toFixed(2),
      errors: r.errors,
      'vs apollo': ratio(r.rps, results.apollo?.rps),
      'vs hive': ratio(r.rps, results.hive?.rps),
    })),
  );
  console.log(
    [
      'Headline: "ours (cache off)" against the others\' defaults (neither caches responses). "ours (cache on)" answers',
      'repeats of one query by one caller from its Redis response cache: it shows the cache, not the federation engine.',
      'Here every client sends the same query with the same token: ours and Hive (by default) share identical subgraph',
      'queries in flight, @apollo/gateway and the floor send each one, so with subgraphs this slow that sharing decides.',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const file = join(await mkdtemp(join(tmpdir(), 'gateway-bench-')), 'supergraph.graphql');
  const token = await signDevToken(config.auth, { sub: 'bench-clinician', role: 'clinician' });
  const headers = { authorization: `Bearer ${token}` };
  const { info } = await startProcess('subgraphs', file);
  const urls = info.urls as SubgraphUrls;
  const sessionId = await chooseSession(urls, headers);
  console.log(`${options.clients} clients, ${options.durationMs / 1000} s each after ${options.warmupMs / 1000} s warm-up`);

  const results: Record<string, LoadResult> = {};
  results.floor = await runLoad(async (post) => void (await fetchCrossStoreDirect(post, urls, sessionId)), { ...options, headers });
  const body = JSON.stringify({ query: crossStoreQuery, variables: { id: sessionId } });
  const viaGateway = (url: string): Exchange => async (post) => void (await post(url, body));
  const gateways = { 'ours (cache off)': 'ours-nocache', 'ours (cache on)': 'ours', apollo: 'apollo', hive: 'hive' };
  let reference: unknown;
  for (const [name, role] of Object.entries(gateways)) {
    const { child, info: gateway } = await startProcess(role, file);
    // Every gateway must give the same answer, or the comparison means nothing.
    const answer = await answerOnce(gateway.url as string, body, headers);
    reference ??= answer;
    if (!isDeepStrictEqual(answer, reference)) throw new Error(`${name} answered differently: ${JSON.stringify(answer).slice(0, 300)}`);
    results[name] = await runLoad(viaGateway(gateway.url as string), { ...options, headers });
    child.kill('SIGTERM');
  }
  printTable(results);
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGTERM');
}

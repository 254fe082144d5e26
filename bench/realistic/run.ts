import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signDevToken } from '../../lib/auth.js';
import { createRedis } from '../../lib/redis.js';
import { createRandom } from '../../lib/seeded-random.js';
import { readPid } from '../../stack/processes.js';
import { storeDir } from '../../stack/paths.js';
import { generateSeedGraph } from '../../subgraphs/knowledge/seed/generate.js';
import { markChunksChanged } from '../../subgraphs/search/store/passage-memo.js';
import { createCollectionNames } from '../../subgraphs/search/store/qdrant.js';
import { prepareBenchConfig } from '../operations/bench-database.js';
import { stopProcess } from '../../lib/stop-process.js';
import { benchStopMs, createBenchProcesses, type SubgraphLayout } from '../gateway/bench-processes.js';
import { createPost } from '../gateway/load.js';
import { waitForConsumers } from './consumer-lag.js';
import { cacheMessageVectors, prepareDataset } from './dataset.js';
import { createCpuMeter, treeCpuMs, processCpuMs } from './process-cpu.js';
import { runRealisticLoad, summarize, type RealisticResult, type RealisticSample } from './realistic-load.js';
import { settleRedis } from './settle-redis.js';
import { createTraffic, type Caller } from './traffic.js';
import { warmPassageMemo } from './warm-passages.js';

/**
 * `npm run bench:realistic [-- --duration 20 --clients 50 --gateways ours,ours-nocache,apollo,hive --layout per-subgraph|one-process --passages warm|cold --stores-warmup 30 --think-ms 0 --rounds 2]`:
 * traffic as clinicians and patients make it, where a response cache rarely helps. 10,000 sessions
 * (200,000 messages, 50,000 feedback) of the 40 demo patients, 100,000 chunk points, the demo
 * knowledge graph (`npm start` once first). 50 closed-loop clients, each a different caller: half
 * are patients (a stream of visits, each a patient reading their own sessions), half clinicians
 * reading any session; sessions drawn by a skewed (Zipf) popularity; 5 % of requests write
 * (postMessage, submitFeedback), which invalidates what they change. Reads are the cross-store
 * query (session, messages, mentioned entities, supporting passages, the patient's allergies).
 * For each gateway over the same subgraphs, in one run: RPS, p50/p95/p99, errors, the hit ratios
 * of the response cache and of the search subgraph's passage memo, and CPU milliseconds per
 * request of every process (gateway, subgraphs, Neo4j, PostgreSQL, Qdrant, Redis). The passage
 * memo holds the existing messages' passages before any gateway runs (`--passages warm`, as in a
 * deployment that has served its sessions: warm-passages.ts), or is emptied before each gateway
 * (`--passages cold`, as right after a document was ingested). Before the gateways, the stores
 * warm up under unmeasured traffic through a gateway process of its own (`--stores-warmup`);
 * before each gateway, the subgraphs' event consumers catch up, so no run measures work an
 * earlier one left. `--think-ms` pauses each client between an answer and its next request.
 * Each gateway's `--duration` seconds are measured in `--rounds` windows, every other round
 * in reverse order (ours, ..., hive, hive, ..., ours): whoever came first used to meet stores
 * still warming up and the machine's drift fell on one gateway.
 */
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    // traffic before the first gateway's run, unmeasured: the stores' JIT and query plans warm up once
    'stores-warmup': { type: 'string', default: '30' },
    clients: { type: 'string', default: '50' },
    'write-share': { type: 'string', default: '0.05' },
    skew: { type: 'string', default: '1' },
    gateways: { type: 'string', default: 'ours,ours-nocache,apollo,hive' },
    layout: { type: 'string', default: 'per-subgraph' },
    passages: { type: 'string', default: 'warm' },
    // mean pause between an answer and the client's next request: 0 measures the most served, more measures latency at a pace people read at
    'think-ms': { type: 'string', default: '0' },
    rounds: { type: 'string', default: '2' },
  },
});
const clients = Number(values.clients);
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds is a whole number from 1, not ${values.rounds}`);
const gatewayRoles = (values.gateways as string).split(',');
const config = await prepareBenchConfig('realistic');
const env = {
  DATABASE_URL: config.postgres.url,
  EVENT_STREAM_PREFIX: config.eventStreamPrefix,
  QDRANT_COLLECTION_PREFIX: config.qdrant.collectionPrefix,
  // the bench's callers rate far more answers a day than a person does
  FEEDBACK_LIMIT_PER_PATIENT_PER_DAY: '1000000',
  FEEDBACK_LIMIT_PER_ENTITY_PER_DAY: '1000000',
};
const processes = createBenchProcesses();
const stores = ['neo4j', 'postgres', 'qdrant', 'redis'] as const;

interface Row {
  gateway: string;
  result: RealisticResult;
  cpuMs: Record<string, number>;
  /** This process's own CPU in the window: the clients that send the load, not the system measured. */
  loadGeneratorMs: number;
  responseHits: number | undefined;
  passageHits: number | undefined;
}

interface Lookups {
  hit: number;
  miss: number;
}

/** A cache's lookups so far, from a service's metrics: `series` is the counter's name and labels before `result`. */
async function cacheLookups(url: string, series: string): Promise<Lookups> {
  const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
  const read = (result: string) => Number(text.split('\n').find((line) => line.startsWith(`${series}result="${result}"} `))?.split(' ')[1] ?? 0);
  return { hit: read('hit'), miss: read('miss') };
}

function addLookups(total: Lookups, before: Lookups, after: Lookups): void {
  total.hit += after.hit - before.hit;
  total.miss += after.miss - before.miss;
}

const hitRatio = ({ hit, miss }: Lookups): number | undefined => (hit + miss > 0 ? hit / (hit + miss) : undefined);

/** One gateway's windows so far: their samples, and CPU and cache lookups summed over them. */
interface Tally {
  samples: RealisticSample[];
  cpuMs: Record<string, number>;
  loadGeneratorMs: number;
  responses: Lookups;
  passages: Lookups;
}

const emptyTally = (): Tally => ({ samples: [], cpuMs: {}, loadGeneratorMs: 0, responses: { hit: 0, miss: 0 }, passages: { hit: 0, miss: 0 } });

async function main(): Promise<void> {
  const file = join(await mkdtemp(join(tmpdir(), 'realistic-bench-')), 'supergraph.graphql');
  const layout = values.layout as SubgraphLayout;
  if (layout !== 'per-subgraph' && layout !== 'one-process') throw new Error(`--layout is per-subgraph (as npm start runs them) or one-process, not ${layout}`);
  if (values.passages !== 'warm' && values.passages !== 'cold') throw new Error(`--passages is warm or cold, not ${values.passages}`);
  const { urls: subgraphUrls, children: subgraphChildren } = await processes.startSubgraphs(file, layout, env);
  const redis = createRedis(config.redis.url, 'bench-realistic');
  // a subgraph process that dies would leave the clients waiting on a gateway that waits on it
  let finished = false;
  for (const [name, child] of Object.entries(subgraphChildren)) {
    child.once('exit', (code, signal) => {
      if (finished) return;
      console.error(`bench: the ${name} process exited (code ${code}, signal ${signal}); stopping`);
      process.exit(1);
    });
  }
  const sessions = await prepareDataset(config);
  await cacheMessageVectors(config);
  if (values.passages === 'warm') await warmPassageMemo(config, subgraphUrls.search);
  console.log(`bench: Redis's append-only file compacted in ${(await settleRedis(redis)).toFixed(1)} s`);
  const seed = generateSeedGraph(1);
  const traffic = createTraffic(sessions, { patientClients: Math.floor(clients / 2), readsPerVisit: 3, writeShare: Number(values['write-share']), skew: Number(values.skew) }, createRandom(11));
  const tokens = new Map<string, string>();
  const authorization = (caller: Caller) => tokens.get(caller.role === 'patient' ? caller.patientId : caller.id) as string;
  for (const patientId of traffic.patientIds) tokens.set(patientId, `Bearer ${await signDevToken(config.auth, { sub: `bench-${patientId}`, role: 'patient', patientId })}`);
  for (let index = 0; index < clients; index += 1) tokens.set(`bench-clinician-${index}`, `Bearer ${await signDevToken(config.auth, { sub: `bench-clinician-${index}`, role: 'clinician' })}`);
  console.log(`${clients} clients (${Math.floor(clients / 2)} patient streams over ${traffic.patientIds.length} patients, ${clients - Math.floor(clients / 2)} clinicians), ${values.duration} s each after ${values.warmup} s warm-up, ${Number(values['write-share']) * 100} % writes, Zipf ${values.skew}, ${Number(values['think-ms']) > 0 ? `${values['think-ms']} ms mean think time` : 'no think time'}`);

  const storeCounters = Object.fromEntries(stores.map((store) => {
    const leader = readPid(storeDir(config, store));
    if (leader === undefined) throw new Error(`${store} is not running from this stack (no pid file): start it with npm run stack:up`);
    return [store, () => treeCpuMs(leader)];
  }));
  const subgraphCounters = Object.fromEntries(Object.entries(subgraphChildren).map(([name, child]) => [name, () => processCpuMs(child.pid as number)]));
  const searchUrl = subgraphUrls.search;
  const passageSeries = 'search_cache_lookups_total{cache="passages",';
  const load = { clients, steps: (index: number) => traffic.client(index), authorization, mention: seed.entities[0]?.id as string };
  if (Number(values['stores-warmup']) > 0) {
    // through a gateway process of its own, stopped after: no measured gateway serves it
    const { child: warmer, info } = await processes.start(gatewayRoles[0] as string, file, env);
    const { post, close } = createPost({}, clients);
    const noReading = () => undefined;
    await runRealisticLoad(info.url as string, post, { ...load, warmupMs: Number(values['stores-warmup']) * 1000, durationMs: 0, thinkMs: 0, firstSerial: rounds * gatewayRoles.length * 1_000_000, onMeasureStart: noReading, onMeasureEnd: noReading });
    close();
    await stopProcess(warmer, benchStopMs);
  }
  const tallies = new Map(gatewayRoles.map((role) => [role, emptyTally()]));
  const windowMs = (Number(values.duration) * 1000) / rounds;
  let windowIndex = 0;
  for (let round = 0; round < rounds; round += 1) {
    // every other round in reverse (A B B A): the machine's drift and the stores' warming fall on every gateway alike
    for (const role of round % 2 === 0 ? gatewayRoles : [...gatewayRoles].reverse()) {
      // what the previous window's writes left to the consumers is not this one's
      console.log(`bench: the subgraphs' event consumers caught up in ${(await waitForConsumers(Object.values(subgraphUrls))).toFixed(1)} s`);
      const { child: gateway, info } = await processes.start(role, file, env);
      const url = info.url as string;
      const meter = createCpuMeter({ gateway: () => processCpuMs(gateway.pid as number), ...subgraphCounters, ...storeCounters });
      const { post, close } = createPost({}, clients);
      if (values.passages === 'cold') await markChunksChanged(redis, createCollectionNames(config.qdrant.collectionPrefix).chunks);
      const none: Lookups = { hit: 0, miss: 0 };
      const readCaches = (): Promise<[Lookups, Lookups]> => Promise.all([role === 'ours' ? cacheLookups(url, 'gateway_response_cache_lookups_total{') : none, cacheLookups(searchUrl, passageSeries)]);
      const readings = { start: Promise.resolve<[Lookups, Lookups]>([none, none]), end: Promise.resolve<[Lookups, Lookups]>([none, none]) };
      const tally = tallies.get(role) as Tally;
      let before: Record<string, number> = {};
      const ownCpuMs = () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1000;
      };
      const sample = await runRealisticLoad(url, post, {
        ...load,
        warmupMs: Number(values.warmup) * 1000,
        durationMs: windowMs,
        thinkMs: Number(values['think-ms']),
        firstSerial: windowIndex * 1_000_000,
        onMeasureStart: () => {
          before = meter.take();
          tally.loadGeneratorMs -= ownCpuMs();
          readings.start = readCaches();
        },
        onMeasureEnd: () => {
          for (const [name, ms] of Object.entries(meter.since(before))) tally.cpuMs[name] = (tally.cpuMs[name] ?? 0) + ms;
          tally.loadGeneratorMs += ownCpuMs();
          readings.end = readCaches();
        },
      });
      close();
      const [[responseBefore, passagesBefore], [responseAfter, passagesAfter]] = await Promise.all([readings.start, readings.end]);
      addLookups(tally.responses, responseBefore, responseAfter);
      addLookups(tally.passages, passagesBefore, passagesAfter);
      tally.samples.push(sample);
      await stopProcess(gateway, benchStopMs);
      const result = summarize([sample]);
      console.log(`  ${role}${rounds > 1 ? ` (round ${round + 1} of ${rounds})` : ''}: ${result.rps.toFixed(1)} RPS, p95 ${result.p95.toFixed(1)} ms, ${result.errors} errors`);
      windowIndex += 1;
    }
  }
  const rows = gatewayRoles.map((role): Row => {
    const { samples, cpuMs, loadGeneratorMs, responses, passages } = tallies.get(role) as Tally;
    return { gateway: role, result: summarize(samples), cpuMs, loadGeneratorMs, responseHits: hitRatio(responses), passageHits: hitRatio(passages) };
  });
  redis.disconnect();
  finished = true;
  printRows(rows);
}

function printRows(rows: Row[]): void {
  const percent = (ratio: number | undefined) => (ratio === undefined ? '-' : `${(ratio * 100).toFixed(1)} %`);
  console.table(rows.map(({ gateway, result, responseHits, passageHits }) => ({
    gateway,
    rps: result.rps.toFixed(1),
    p50: result.p50.toFixed(1),
    p95: result.p95.toFixed(1),
    p99: result.p99.toFixed(1),
    'read p95': result.readP95.toFixed(1),
    'reads/writes': `${result.reads}/${result.writes}`,
    errors: result.errors,
    'response cache hits': percent(responseHits),
    'passage memo hits': percent(passageHits),
  })));
  console.log('CPU milliseconds per request, by process (the load generator, this process, shares the cores but is not in the total):');
  console.table(rows.map(({ gateway, result, cpuMs, loadGeneratorMs }) => {
    const perRequest = Object.fromEntries(Object.entries(cpuMs).map(([name, ms]) => [name, (ms / result.requests).toFixed(2)]));
    const total = Object.values(cpuMs).reduce((sum, ms) => sum + ms, 0);
    return { gateway, ...perRequest, total: (total / result.requests).toFixed(2), 'load generator': (loadGeneratorMs / result.requests).toFixed(2) };
  }));
}

try {
  await main();
} finally {
  processes.stopAll();
}

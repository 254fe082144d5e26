import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signDevToken } from '../../lib/auth.js';
import { requestGraphQL } from '../../lib/graphql-client.js';
import { percentile } from '../../lib/percentile.js';
import { prepareBenchConfig } from '../operations/bench-database.js';
import { createBenchProcesses } from './bench-processes.js';
import { connectWebSocket, subscribeEventStream, type Subscription, type WebSocketConnection } from './subscription-clients.js';

/**
 * `npm run bench:subscriptions [-- --subscribers 1000 --per-session 5 --messages 3 --rate 20]`:
 * live sessions at scale on one gateway. The three subgraphs run in one process and the gateway
 * (response cache on, as shipped) in another, over the running stores, in a PostgreSQL database
 * and event streams of the benchmark's own. Half the subscribers use WebSocket (graphql-ws), half
 * Server-Sent Events, each on its own connection: per session its patient and clinicians (each
 * clinician follows several sessions), each with its own token, so every event is resolved once
 * per subscriber, with its mentions from the knowledge graph. Messages are posted through the
 * gateway at `--rate` a second; it prints whether every subscriber received every message of its
 * session exactly once, the delivery latency (from the post being sent to the result arriving)
 * p50/p95/p99 per transport, and the gateway's memory per subscriber. Needs the demo knowledge
 * graph (`npm start` once) for the mentioned entity.
 */
const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    'per-session': { type: 'string', default: '5' },
    messages: { type: 'string', default: '3' },
    rate: { type: 'string', default: '20' },
  },
});
const subscriberCount = Number(values.subscribers);
const perSession = Number(values['per-session']);
const messagesPerSession = Number(values.messages);
const postsPerSecond = Number(values.rate);
const sessionCount = Math.ceil(subscriberCount / perSession);

const config = await prepareBenchConfig('subscriptions');
const processes = createBenchProcesses();
const env = {
  DATABASE_URL: config.postgres.url,
  EVENT_STREAM_PREFIX: config.eventStreamPrefix,
  QDRANT_COLLECTION_PREFIX: config.qdrant.collectionPrefix,
  // each clinician follows sessions / clinicians of them; every subscriber has a slot
  SUBSCRIPTIONS_PER_IDENTITY: String(subscriberCount),
};
const sign = (sub: string, role: 'patient' | 'clinician' | 'service', patientId?: string) => signDevToken(config.auth, { sub, role, ...(patientId ? { patientId } : {}) });

const messageAdded = 'subscription Live($s: ID!) { messageAdded(sessionId: $s) { id content createdAt mentions { id name } } }';

interface Follower {
  sessionIndex: number;
  transport: 'ws' | 'sse';
  subscription: Subscription;
}

/** The gateway process' memory after a full collection, from its own metrics (loopback callers may scrape them): the median of 3 readings. */
async function gatewayMemory(gateway: ChildProcess, gatewayUrl: string): Promise<{ rss: number; heap: number }> {
  const readings: { rss: number; heap: number }[] = [];
  for (let reading = 0; reading < 3; reading += 1) {
    gateway.kill('SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const text = await (await fetch(gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
    const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    readings.push({ rss: read('gateway_process_resident_memory_bytes'), heap: read('gateway_nodejs_heap_size_used_bytes') });
  }
  const median = (values: number[]) => percentile(values.sort((a, b) => a - b), 50);
  return { rss: median(readings.map((r) => r.rss)), heap: median(readings.map((r) => r.heap)) };
}

async function main(): Promise<void> {
  const file = join(await mkdtemp(join(tmpdir(), 'subscriptions-bench-')), 'supergraph.graphql');
  await processes.startSubgraphs(file, 'one-process', env);
  const { child: gateway, info } = await processes.start('ours', file, env, ['--expose-gc']);
  const gatewayUrl = info.url as string;
  const service = await sign('bench-subs-service', 'service');
  const gql = async <T>(query: string, variables: Record<string, unknown>, token = service) => requestGraphQL<T>(gatewayUrl, query, variables, { token });

  const entities = await gql<{ searchEntities: { id: string; name: string }[] }>('query { searchEntities(text: "psoriasis", first: 1) { id name } }', {});
  const entity = entities.searchEntities[0];
  if (!entity) throw new Error('the knowledge graph has no demo entities: run `npm start` once (it seeds them), then the benchmark');

  const run = Date.now().toString(36);
  const sessions: { id: string; patientId: string; patientToken: string }[] = [];
  for (let index = 0; index < sessionCount; index += 1) {
    const patientId = `bench-subs-${run}-p${index}`;
    const started = await gql<{ startSession: { id: string } }>('mutation ($p: ID!) { startSession(input: { patientId: $p, title: "Live" }) { id } }', { p: patientId });
    sessions.push({ id: started.startSession.id, patientId, patientToken: await sign(`bench-subs-${run}-patient-${index}`, 'patient', patientId) });
  }
  const clinicians = await Promise.all(Array.from({ length: Math.max(1, Math.ceil(subscriberCount / 10)) }, (_, index) => sign(`bench-subs-${run}-clinician-${index}`, 'clinician')));
  const post = (sessionIndex: number, content: string) =>
    gql<{ postMessage: { id: string } }>('mutation ($s: ID!, $c: String!, $m: [ID!]) { postMessage(input: { sessionId: $s, role: USER, content: $c, mentions: $m }) { id } }', { s: sessions[sessionIndex]?.id, c: content, m: [entity.id] });

  const baseline = await gatewayMemory(gateway, gatewayUrl);
  const sockets: WebSocketConnection[] = [];
  const followers: Follower[] = [];
  const opened = performance.now();
  for (let first = 0; first < subscriberCount; first += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, subscriberCount - first) }, async (_, offset) => {
        const index = first + offset;
        const sessionIndex = index % sessionCount;
        const session = sessions[sessionIndex] as (typeof sessions)[number];
        // the first follower of a session is its patient, the others clinicians
        const token = index < sessionCount ? session.patientToken : (clinicians[index % clinicians.length] as string);
        const variables = { s: session.id };
        if (index % 2 === 0) {
          const socket = connectWebSocket(gatewayUrl, token);
          sockets.push(socket);
          followers.push({ sessionIndex, transport: 'ws', subscription: socket.subscribe(messageAdded, variables) });
        } else {
          const stream = await subscribeEventStream(gatewayUrl, token, messageAdded, variables);
          if (stream.status !== 200) throw new Error(`an SSE subscription was refused (${stream.status}): ${JSON.stringify(stream.refusal)}`);
          followers.push({ sessionIndex, transport: 'sse', subscription: stream });
        }
      }),
    );
  }
  // a WebSocket subscribe is not acknowledged: every follower is live once a message reached it
  for (let round = 0; followers.some((follower) => follower.subscription.received.length === 0); round += 1) {
    if (round === 30) throw new Error(`${followers.filter((follower) => follower.subscription.received.length === 0).length} subscribers never received a message`);
    const waiting = new Set(followers.filter((follower) => follower.subscription.received.length === 0).map((follower) => follower.sessionIndex));
    for (const sessionIndex of waiting) await post(sessionIndex, `warm-up ${round}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const openSeconds = (performance.now() - opened) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  for (const follower of followers) follower.subscription.received.splice(0);
  const loaded = await gatewayMemory(gateway, gatewayUrl);

  // the messages, at the rate asked, round-robin over the sessions; each remembered with when it was sent
  const sentAt = new Map<string, number>();
  const started = performance.now();
  let sent = 0;
  for (let round = 0; round < messagesPerSession; round += 1) {
    for (let sessionIndex = 0; sessionIndex < sessionCount; sessionIndex += 1) {
      const due = started + (sent * 1000) / postsPerSecond;
      if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
      const content = `message ${round} of session ${sessionIndex}`;
      sentAt.set(content, performance.now());
      void post(sessionIndex, content);
      sent += 1;
    }
  }
  const deadline = Date.now() + 60_000;
  while (followers.some((follower) => follower.subscription.received.length < messagesPerSession) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

  const latencies: Record<'ws' | 'sse', number[]> = { ws: [], sse: [] };
  let complete = 0;
  let missing = 0;
  let repeated = 0;
  let withoutMentions = 0;
  for (const follower of followers) {
    const contents = follower.subscription.received.map((result) => {
      const message = (result.data?.messageAdded ?? {}) as { content?: string; mentions?: { name: string }[] };
      if (message.mentions?.[0]?.name !== entity.name) withoutMentions += 1;
      return { content: message.content ?? '', at: result.at };
    });
    const expected = Array.from({ length: messagesPerSession }, (_, round) => `message ${round} of session ${follower.sessionIndex}`);
    const got = new Set(contents.map((item) => item.content));
    missing += expected.filter((content) => !got.has(content)).length;
    repeated += contents.length - got.size;
    if (expected.every((content) => got.has(content)) && contents.length === expected.length) complete += 1;
    for (const item of contents) latencies[follower.transport].push(item.at - (sentAt.get(item.content) ?? Number.NaN));
  }
  const row = (name: string, values: number[]) => {
    const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
    return `| ${name} | ${sorted.length} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 95).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} |`;
  };
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(`\n${subscriberCount} subscribers (${followers.filter((f) => f.transport === 'ws').length} WebSocket, ${followers.filter((f) => f.transport === 'sse').length} SSE) on ${sessionCount} sessions, ${perSession} a session; opened and live in ${openSeconds.toFixed(1)} s`);
  console.log(`${sent} messages posted at ${postsPerSecond}/s (${messagesPerSession} a session): ${complete} of ${followers.length} subscribers received every message of their session exactly once; ${missing} missing, ${repeated} repeated, ${withoutMentions} without their mention resolved`);
  console.log(`\ndelivery latency, ms from the post being sent to the result arriving\n| transport | results | p50 | p95 | p99 |\n|---|---:|---:|---:|---:|\n${row('WebSocket', latencies.ws)}\n${row('SSE', latencies.sse)}\n${row('all', [...latencies.ws, ...latencies.sse])}`);
  const all = [...latencies.ws, ...latencies.sse].filter(Number.isFinite).sort((a, b) => a - b);
  console.log(`goal: every message to every subscriber within 200 ms: ${complete === followers.length && percentile(all, 100) < 200 ? 'met' : 'NOT met'} (the slowest ${percentile(all, 100).toFixed(1)} ms)`);
  console.log(
    `\ngateway memory: RSS ${mib(baseline.rss)} → ${mib(loaded.rss)} MiB, heap used ${mib(baseline.heap)} → ${mib(loaded.heap)} MiB; per subscriber ${((loaded.rss - baseline.rss) / subscriberCount / 1024).toFixed(1)} KiB RSS, ${((loaded.heap - baseline.heap) / subscriberCount / 1024).toFixed(1)} KiB heap (after a full collection, medians of 3 readings)`,
  );
  await Promise.all([...followers.map((follower) => follower.subscription.close()), ...sockets.map((socket) => socket.dispose())]);
}

try {
  await main();
} finally {
  processes.stopAll();
}

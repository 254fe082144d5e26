import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken, type Role } from '../../lib/auth.js';
import { loadConfig, type Config } from '../../lib/config.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { composeSupergraph } from '../../gateway/compose.js';
import { startKnowledge } from '../../subgraphs/knowledge/server.js';
import { startOperations } from '../../subgraphs/operations/server.js';
import { subgraphSdl } from '../../subgraphs/sdl.js';
import { startSearch } from '../../subgraphs/search/server.js';
import { createCollectionNames, createQdrantClient } from '../../subgraphs/search/store/qdrant.js';
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy.js';
import { freePort } from '../support/free-port.js';
import { startJwksIssuer, type JwksIssuer } from '../support/jwks.js';
import { startServiceProcess, waitUntilHealthy, type ServiceProcess } from '../support/service-process.js';

/**
 * SIGTERM with requests in flight, for each service process and `npm start`, in production and
 * development: the requests complete, new ones are refused, the process exits 0 within the grace
 * period. Requests are held in flight by a proxy that slows the store (or subgraph) they wait on.
 */
const graceSeconds = 5;
const storeDelayMs = 1500;
const base = loadConfig({ ...process.env, LOG_LEVEL: 'error' });
const hostPort = (url: string) => {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
};

type Outcome = { kind: 'answered'; status: number; body: { data?: unknown; errors?: unknown[] } } | { kind: 'refused'; error: string };

async function send(url: string, token: string, query: string): Promise<Outcome> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, connection: 'close' }, body: JSON.stringify({ query }) });
    return { kind: 'answered', status: response.status, body: (await response.json()) as { data?: unknown } };
  } catch (error) {
    return { kind: 'refused', error: String((error as Error).cause ?? error) };
  }
}

/**
 * Sends three requests, lets them get stuck behind the slowed proxy, sends SIGTERM, and checks
 * that each completes, that a request after the signal is refused and that the exit is clean.
 */
async function drainOnSigterm(service: ServiceProcess, url: string, token: string, query: string, slow: DelayProxy): Promise<void> {
  // open the store connections first: only the requests' own round trips are slowed down. A
  // short delay keeps the three in flight together, so each opens a connection of its own (done
  // one after another, they could share one, and a slowed request would then open one itself,
  // its handshake's round trips slowed too)
  slow.setDelay(200);
  await Promise.all([send(url, token, query), send(url, token, query), send(url, token, query)]);
  slow.setDelay(storeDelayMs);
  const inFlight = [send(url, token, query), send(url, token, query), send(url, token, query)];
  await new Promise((resolve) => setTimeout(resolve, 400));
  service.signal('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const late = await send(url, token, query);
  const outcomes = await Promise.all(inFlight);
  const exit = await service.exited;
  slow.setDelay(0);
  expect(outcomes.map((outcome) => (outcome.kind === 'answered' ? [outcome.status, outcome.body.errors ?? 'no errors'] : outcome.error)), service.output()).toEqual([
    [200, 'no errors'],
    [200, 'no errors'],
    [200, 'no errors'],
  ]);
  expect(late.kind, JSON.stringify(late)).toBe('refused');
  expect(exit.code, service.output()).toBe(0);
  expect(exit.msAfterSignal).toBeLessThan(graceSeconds * 1000);
}

describe.each(['development', 'production'] as const)('SIGTERM in %s mode', (mode) => {
  let issuer: JwksIssuer | undefined;
  const run = randomUUID().slice(0, 8);
  const env = (extra: Record<string, string>): Record<string, string> => ({
    NODE_ENV: mode,
    LOG_LEVEL: 'warn',
    SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
    EVENT_STREAM_PREFIX: `test-sigterm-${run}`,
    QDRANT_COLLECTION_PREFIX: `t_sigterm_${run}_`,
    ...(issuer ? { JWKS_URL: issuer.url } : {}),
    ...extra,
  });
  const config = (): Config => loadConfig({ ...process.env, ...env({}), LOG_LEVEL: 'error' });
  const token = (role: Role) => (issuer ? issuer.sign({ sub: `sigterm-${role}`, role }, base.auth) : signDevToken(base.auth, { sub: `sigterm-${role}`, role }));

  beforeAll(async () => {
    if (mode === 'production') issuer = await startJwksIssuer();
  });
  afterAll(async () => {
    await issuer?.close();
    const qdrant = createQdrantClient(base.qdrant);
    for (const name of Object.values(createCollectionNames(`t_sigterm_${run}_`))) {
      if ((await qdrant.collectionExists(name)).exists) await qdrant.deleteCollection(name);
    }
  });

  it.each([
    ['knowledge', 'subgraphs/knowledge/index.ts', 'KNOWLEDGE_PORT', 'NEO4J_URI', base.neo4j.uri, (address: string) => `bolt://${address}`, '{ layerStats { layer entities } }'],
    ['operations', 'subgraphs/operations/index.ts', 'OPERATIONS_PORT', 'DATABASE_URL', base.postgres.url, (address: string) => base.postgres.url.replace(/@[^/]+\//, `@${address}/`), '{ documents(first: 1) { totalCount } }'],
    ['search', 'subgraphs/search/index.ts', 'SEARCH_PORT', 'QDRANT_URL', base.qdrant.url, (address: string) => `http://${address}`, '{ semanticSearch(text: "asthma treatment", k: 1) { score } }'],
  ] as const)('%s drains its requests and exits 0', async (_name, entry, portVariable, storeVariable, storeUrl, proxiedUrl, query) => {
    const slow = await startDelayProxy(hostPort(storeUrl));
    const port = await freePort();
    const service = startServiceProcess(entry, env({ [portVariable]: String(port), [storeVariable]: proxiedUrl(slow.address) }));
    try {
      await waitUntilHealthy(service, `http://127.0.0.1:${port}/healthz`);
      await drainOnSigterm(service, `http://127.0.0.1:${port}/graphql`, await token('clinician'), query, slow);
    } finally {
      service.child.kill('SIGKILL');
      await slow.close();
    }
  });

  it('the gateway drains its requests and exits 0', async () => {
    const subgraphs: ServiceHandle[] = [await startKnowledge(config(), 0, { consumeFeedback: false }), await startOperations(config(), 0), await startSearch(config(), 0, { consumers: false })];
    const [knowledge, operations, search] = subgraphs as [ServiceHandle, ServiceHandle, ServiceHandle];
    const slow = await startDelayProxy({ host: '127.0.0.1', port: search.port });
    const file = join(await mkdtemp(join(tmpdir(), 'sigterm-')), 'supergraph.graphql');
    await writeFile(
      file,
      composeSupergraph([
        { name: 'knowledge', url: knowledge.url, sdl: subgraphSdl.knowledge },
        { name: 'operations', url: operations.url, sdl: subgraphSdl.operations },
        { name: 'search', url: `http://${slow.address}/graphql`, sdl: subgraphSdl.search },
      ]),
    );
    const port = await freePort();
    const gateway = startServiceProcess('gateway/index.ts', env({ GATEWAY_PORT: String(port), GATEWAY_SUPERGRAPH: file }));
    try {
      await waitUntilHealthy(gateway, `http://127.0.0.1:${port}/healthz`);
      await drainOnSigterm(gateway, `http://127.0.0.1:${port}/graphql`, await token('clinician'), '{ layerStats { layer } semanticSearch(text: "asthma", k: 1) { score } }', slow);
    } finally {
      gateway.child.kill('SIGKILL');
      await slow.close();
      await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
    }
  });
});

describe('SIGTERM to npm start', () => {
  it('refuses to run in production, in one line', async () => {
    const start = startServiceProcess('scripts/start.ts', { NODE_ENV: 'production', JWKS_URL: 'http://127.0.0.1:1/jwks.json' });
    const exit = await start.exited;
    expect(exit.code).toBe(2);
    expect(start.output().trim().split('\n')).toEqual([expect.stringContaining('npm start is the development main job')]);
  });

  it('drains the gateway and the subgraphs it runs, then exits 0', async () => {
    const slow = await startDelayProxy(hostPort(base.postgres.url));
    const ports = { GATEWAY_PORT: await freePort(), KNOWLEDGE_PORT: await freePort(), OPERATIONS_PORT: await freePort(), SEARCH_PORT: await freePort() };
    const run = randomUUID().slice(0, 8);
    const start = startServiceProcess(
      'scripts/start.ts',
      {
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
        DATABASE_URL: base.postgres.url.replace(/@[^/]+\//, `@${slow.address}/`),
        EVENT_STREAM_PREFIX: `test-start-${run}`,
        QDRANT_COLLECTION_PREFIX: `t_start_${run}_`,
        ...Object.fromEntries(Object.entries(ports).map(([name, value]) => [name, String(value)])),
      },
      { args: ['--no-demo-data'] },
    );
    try {
      await waitUntilHealthy(start, `http://127.0.0.1:${ports.GATEWAY_PORT}/healthz`, 120_000);
      await drainOnSigterm(start, `http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`, await signDevToken(base.auth, { sub: 'sigterm-start', role: 'clinician' }), '{ documents(first: 1) { totalCount } }', slow);
    } finally {
      start.child.kill('SIGKILL');
      await slow.close();
      const qdrant = createQdrantClient(base.qdrant);
      for (const name of Object.values(createCollectionNames(`t_start_${run}_`))) {
        if ((await qdrant.collectionExists(name)).exists) await qdrant.deleteCollection(name);
      }
    }
  });
});

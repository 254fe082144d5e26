import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../lib/auth.js';
import { loadConfig } from '../../lib/config.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { composeSupergraph } from '../../gateway/compose.js';
import { startKnowledge } from '../../subgraphs/knowledge/server.js';
import { startOperations } from '../../subgraphs/operations/server.js';
import { subgraphSdl } from '../../subgraphs/sdl.js';
import { startSearch } from '../../subgraphs/search/server.js';
import { createCollectionNames, createQdrantClient } from '../../subgraphs/search/store/qdrant.js';
import { freePort } from '../support/free-port.js';
import { startServiceProcess, waitUntilHealthy } from '../support/service-process.js';

/**
 * The gateway of a system that holds medical data talks to the subgraphs and stores it was
 * configured with, and to nothing else: no telemetry, no cloud metadata probes. Every outgoing
 * connection and lookup of a real gateway process is recorded, during start and traffic.
 */
describe('the gateway sends nothing off the machine', () => {
  const run = randomUUID().slice(0, 8);
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'error', QDRANT_COLLECTION_PREFIX: `t_out_${run}_`, EVENT_STREAM_PREFIX: `test-out-${run}` });
  let subgraphs: ServiceHandle[] = [];
  let supergraph: string;

  beforeAll(async () => {
    subgraphs = [await startKnowledge(config, 0, { consumeFeedback: false }), await startOperations(config, 0), await startSearch(config, 0, { consumers: false })];
    const [knowledge, operations, search] = subgraphs as [ServiceHandle, ServiceHandle, ServiceHandle];
    supergraph = join(await mkdtemp(join(tmpdir(), 'outbound-')), 'supergraph.graphql');
    await writeFile(
      supergraph,
      composeSupergraph([
        { name: 'knowledge', url: knowledge.url, sdl: subgraphSdl.knowledge },
        { name: 'operations', url: operations.url, sdl: subgraphSdl.operations },
        { name: 'search', url: search.url, sdl: subgraphSdl.search },
      ]),
    );
  });
  afterAll(async () => {
    await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
    const qdrant = createQdrantClient(config.qdrant);
    for (const name of Object.values(createCollectionNames(config.qdrant.collectionPrefix))) {
      if ((await qdrant.collectionExists(name)).exists) await qdrant.deleteCollection(name);
    }
  });

  it.each(['production', 'development'] as const)('connects only to configured addresses (%s)', async (mode) => {
    const log = join(await mkdtemp(join(tmpdir(), 'connections-')), 'connections.log');
    await writeFile(log, '');
    const port = await freePort();
    const secret = 'a-secret-of-this-test-only-0123456789abcdef';
    const gateway = startServiceProcess(
      'gateway/index.ts',
      {
        NODE_ENV: mode,
        JWT_SECRET: secret,
        GATEWAY_PORT: String(port),
        GATEWAY_SUPERGRAPH: supergraph,
        CONNECTION_LOG: log,
        LOG_LEVEL: 'warn',
        EVENT_STREAM_PREFIX: config.eventStreamPrefix,
        // not inherited from this test process: the gateway itself must turn Apollo's telemetry off
        APOLLO_TELEMETRY_DISABLED: '',
      },
      { preload: ['./test/support/connection-recorder.ts'] },
    );
    try {
      await waitUntilHealthy(gateway, `http://127.0.0.1:${port}/healthz`);
      const token = await signDevToken({ ...config.auth, jwtSecret: secret }, { sub: `outbound-${run}`, role: 'clinician' });
      for (const query of ['{ layerStats { layer entities } }', '{ documents(first: 2) { totalCount } semanticSearch(text: "asthma", k: 1) { score } }']) {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
        expect(response.status).toBe(200);
      }
      await fetch(`http://127.0.0.1:${port}/readyz`);
      // cloud metadata probes and usage reports start at once, without waiting for a request
      await new Promise((resolve) => setTimeout(resolve, 2000));
    } finally {
      gateway.signal('SIGTERM');
      await gateway.exited;
    }
    const allowed = new Set([...subgraphs.map((subgraph) => `connect 127.0.0.1:${subgraph.port}`), `connect 127.0.0.1:${config.redis.port}`]);
    const attempts = [...new Set((await readFile(log, 'utf8')).split('\n').filter(Boolean))];
    expect(attempts.filter((line) => !allowed.has(line))).toEqual([]);
    expect(attempts).toContain(`connect 127.0.0.1:${config.redis.port}`);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { signDevToken } from '../../lib/auth.js';
import { loadConfig, type Config } from '../../lib/config.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { composeSupergraph } from '../../gateway/compose.js';
import { startGateway, type GatewayOptions } from '../../gateway/server.js';
import { createFixtureState, fixtureSubgraphSdl, startFixtureSubgraph, type FixtureName, type FixtureState } from './fixture-subgraphs.js';

// Answers are stored at their first miss, so a case shows a hit at its second request; the default
// (the second miss) has cases of its own in gateway-cache.int.test.ts and test/scaling.
export const config: Config = loadConfig({ LOG_LEVEL: 'fatal', GATEWAY_RESPONSE_CACHE_ADMIT_AFTER: '1', ...process.env });

export interface FixtureWorld {
  id: string;
  /** This world's config: its own event stream prefix, so tests read only their own events. */
  config: Config;
  state: FixtureState;
  subgraphs: Record<FixtureName, ServiceHandle>;
  supergraphFile: string;
  tokens: { patientA: string; patientB: string; clinician: string };
  startGateway(options?: GatewayOptions): Promise<ServiceHandle>;
  stop(): Promise<void>;
}

/** Three fixture subgraphs, their supergraph in a temp file, tokens, and gateways over them that share one Redis prefix. */
export async function startFixtureWorld(names: FixtureName[] = ['sessions', 'patients', 'notes']): Promise<FixtureWorld> {
  const id = `t${randomUUID().slice(0, 8)}-`;
  const worldConfig: Config = { ...config, eventStreamPrefix: `gw-test-${id}` };
  const state = createFixtureState(id);
  const subgraphs = {} as Record<FixtureName, ServiceHandle>;
  for (const name of names) subgraphs[name] = await startFixtureSubgraph(config, name, state);
  const dir = await mkdtemp(join(tmpdir(), 'gateway-test-'));
  const supergraphFile = join(dir, 'supergraph.graphql');
  await writeFile(supergraphFile, composeSupergraph(fixtureSubgraphSdl(subgraphs)));
  const gateways: ServiceHandle[] = [];
  const tokens = {
    patientA: await signDevToken(config.auth, { sub: `${id}user-a`, role: 'patient', patientId: `${id}pA` }),
    patientB: await signDevToken(config.auth, { sub: `${id}user-b`, role: 'patient', patientId: `${id}pB` }),
    clinician: await signDevToken(config.auth, { sub: `${id}doc`, role: 'clinician' }),
  };
  return {
    id,
    config: worldConfig,
    state,
    subgraphs,
    supergraphFile,
    tokens,
    async startGateway(options = {}) {
      const gateway = await startGateway(worldConfig, { port: 0, supergraph: { file: supergraphFile, pollIntervalMs: 100 }, redisPrefix: `gw-test:${id}`, ...options });
      gateways.push(gateway);
      return gateway;
    },
    async stop() {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
      await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.stop().catch(() => undefined)));
      await deleteWorldKeys(id, worldConfig.eventStreamPrefix);
    },
  };
}

/** Removes what this world's gateways left in Redis (only its own prefixes). */
async function deleteWorldKeys(id: string, streamPrefix: string): Promise<void> {
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
  try {
    const keys = [`${streamPrefix}:analytics`];
    for await (const batch of redis.scanStream({ match: `gw-test:${id}*`, count: 500 }) as AsyncIterable<string[]>) keys.push(...batch);
    await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

export interface GraphQLReply {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

/** POSTs a GraphQL request; `token` undefined sends no Authorization header. */
export async function postGraphQL(
  url: string,
  request: { query?: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> },
  token: string | undefined,
  headers: Record<string, string> = {},
): Promise<GraphQLReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(request),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLReply['body'] };
}

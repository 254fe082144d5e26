import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import { signDevToken, type Role } from '../../lib/auth.js';
import type { Config } from '../../lib/config.js';
import { allStreamNames } from '../../lib/event-contracts.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { composeSupergraph } from '../../gateway/compose.js';
import { startGateway, type GatewayOptions } from '../../gateway/server.js';
import { startKnowledge } from '../../subgraphs/knowledge/server.js';
import { createNeo4jDriver } from '../../subgraphs/knowledge/store/driver.js';
import { startOperations } from '../../subgraphs/operations/server.js';
import { startSearch } from '../../subgraphs/search/server.js';
import { subgraphSdl } from '../../subgraphs/sdl.js';
import { createCollectionNames } from '../../subgraphs/search/store/qdrant.js';
import { removeTestData } from '../knowledge/support/knowledge-fixture.js';
import { createSmallGraph } from '../knowledge/support/small-graph.js';
import { config as baseConfig, postGraphQL } from './support.js';

/** The three real subgraphs on port 0 over the real stores, their supergraph, and gateways over them. */
export interface RealWorld {
  prefix: string;
  config: Config;
  patientA: string;
  patientB: string;
  tokens: { a: string; b: string; clinician: string; service: string };
  /** Each subgraph's base URL (its /graphql, /metrics, ...). */
  subgraphUrls: { knowledge: string; operations: string; search: string };
  /** The composed supergraph, for gateways run as processes of their own. */
  supergraphFile: string;
  startGateway(options?: GatewayOptions): Promise<ServiceHandle>;
  stop(): Promise<void>;
}

export interface RealWorldOptions {
  /** Run search's consumers (documents reach this world's collections, posted messages get their passages ahead); default false. */
  ingest?: boolean;
  /** Settings of the subgraphs and gateways on top of the test configuration (e.g. tracing). */
  settings?: Partial<Pick<Config, 'tracing'>>;
}

/**
 * Isolated by a unique prefix: the small knowledge graph's ids, the event streams, the Qdrant
 * collections and the gateways' Redis keys are this world's own, so parallel test files never meet.
 */
export async function startRealWorld(options: RealWorldOptions = {}): Promise<RealWorld> {
  const prefix = `gw${randomUUID().slice(0, 8)}-`;
  const config: Config = { ...baseConfig, ...options.settings, eventStreamPrefix: `test-${prefix}`, qdrant: { ...baseConfig.qdrant, collectionPrefix: `t_${prefix.replace(/-/g, '')}_` } };
  const driver: Driver = createNeo4jDriver(config.neo4j);
  await createSmallGraph(driver, prefix);
  const knowledge = await startKnowledge(config, 0, { driver, consumeFeedback: false });
  const operations = await startOperations(config, 0);
  const search = await startSearch({ ...config, search: { ...config.search, operationsUrl: operations.url } }, 0, { consumers: options.ingest ? { blockMs: 100 } : false });
  const subgraphs = [knowledge, operations, search];
  const gateways: ServiceHandle[] = [];
  const file = join(await mkdtemp(join(tmpdir(), 'gateway-real-')), 'supergraph.graphql');
  await writeFile(
    file,
    composeSupergraph([
      { name: 'knowledge', url: knowledge.url, sdl: subgraphSdl.knowledge },
      { name: 'operations', url: operations.url, sdl: subgraphSdl.operations },
      { name: 'search', url: search.url, sdl: subgraphSdl.search },
    ]),
  );
  const patientA = `${prefix}patient-1`;
  const patientB = `${prefix}patient-2`;
  const sign = (sub: string, role: Role, patientId?: string) => signDevToken(config.auth, { sub: `${prefix}${sub}`, role, ...(patientId ? { patientId } : {}) });
  return {
    prefix,
    config,
    patientA,
    patientB,
    subgraphUrls: { knowledge: knowledge.url, operations: operations.url, search: search.url },
    supergraphFile: file,
    tokens: {
      a: await sign('a', 'patient', patientA),
      b: await sign('b', 'patient', patientB),
      clinician: await sign('doc', 'clinician'),
      service: await sign('svc', 'service'),
    },
    async startGateway(gatewayOptions = {}) {
      const gateway = await startGateway(config, { port: 0, supergraph: { file }, redisPrefix: `gw-test:${prefix}`, ...gatewayOptions });
      gateways.push(gateway);
      return gateway;
    },
    async stop() {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
      await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
      await removeTestData(driver, prefix);
      await driver.close();
      for (const name of Object.values(createCollectionNames(config.qdrant.collectionPrefix))) {
        await fetch(`${config.qdrant.url}/collections/${name}`, { method: 'DELETE' });
      }
      await deleteRedisKeys(config, prefix);
    },
  };
}

/** This world's streams and gateway keys (nothing outside its prefix). */
async function deleteRedisKeys(config: Config, prefix: string): Promise<void> {
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
  try {
    const keys = allStreamNames(config.eventStreamPrefix);
    for await (const batch of redis.scanStream({ match: `gw-test:${prefix}*`, count: 500 }) as AsyncIterable<string[]>) keys.push(...batch);
    await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

/** Starts a session for patient A with one message mentioning infliximab; returns the session id. */
export async function startCrohnSession(world: Pick<RealWorld, 'prefix' | 'patientA'> & { tokens: Pick<RealWorld['tokens'], 'a'> }, gatewayUrl: string): Promise<string> {
  const started = await postGraphQL(
    gatewayUrl,
    { query: 'mutation ($p: ID!) { startSession(input: { patientId: $p, title: "Crohn follow-up" }) { id } }', variables: { p: world.patientA } },
    world.tokens.a,
  );
  const sessionId = (started.body.data?.startSession as { id: string }).id;
  const posted = await postGraphQL(
    gatewayUrl,
    {
      query: 'mutation ($s: ID!, $m: [ID!]) { postMessage(input: { sessionId: $s, role: USER, content: "Is infliximab still right for my Crohn disease?", mentions: $m }) { id } }',
      variables: { s: sessionId, m: [`${world.prefix}infliximab`] },
    },
    world.tokens.a,
  );
  if (posted.body.errors) throw new Error(`postMessage failed: ${JSON.stringify(posted.body.errors)}`);
  return sessionId;
}


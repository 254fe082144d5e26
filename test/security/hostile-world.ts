import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import pg from 'pg';
import { roles, type Role } from '../../lib/auth.js';
import { loadConfig, type Config } from '../../lib/config.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { composeSupergraph } from '../../gateway/compose.js';
import { startGateway, type GatewayOptions } from '../../gateway/server.js';
import { startKnowledge } from '../../subgraphs/knowledge/server.js';
import { createNeo4jDriver } from '../../subgraphs/knowledge/store/driver.js';
import { startOperations } from '../../subgraphs/operations/server.js';
import { subgraphSdl } from '../../subgraphs/sdl.js';
import { startSearch } from '../../subgraphs/search/server.js';
import { createCollectionNames, createQdrantClient } from '../../subgraphs/search/store/qdrant.js';
import { removeTestData } from '../knowledge/support/knowledge-fixture.js';
import { createSmallGraph } from '../knowledge/support/small-graph.js';
import { seedSessions, type SeededSession } from '../operations/seed.js';
import { startJwksIssuer, type JwksIssuer } from '../support/jwks.js';

export type Target = 'gateway' | 'knowledge' | 'operations' | 'search';
export const targets: readonly Target[] = ['gateway', 'knowledge', 'operations', 'search'];

/**
 * The whole system as production runs it (NODE_ENV=production: tokens from a JWKS, introspection
 * off, no "Did you mean" hints, /metrics behind METRICS_TOKEN) over the real stores, with two
 * patients' data under a unique prefix. Rate limits are high: the hostile suite measures what each
 * request does, and tests the limits themselves on gateways of their own.
 */
export interface HostileWorld {
  prefix: string;
  config: Config;
  issuer: JwksIssuer;
  urls: Record<Target, string>;
  patientA: string;
  patientB: string;
  sessionA: SeededSession;
  sessionB: SeededSession;
  metricsToken: string;
  /** A token of each role (patients: A), plus patient B. */
  tokens: Record<Role, string> & { patientB: string };
  sign(claims: { sub: string; role: Role; patientId?: string }): Promise<string>;
  startGateway(options?: GatewayOptions): Promise<ServiceHandle>;
  sql: pg.Pool;
  driver: Driver;
  stop(): Promise<void>;
}

export async function startHostileWorld(): Promise<HostileWorld> {
  const prefix = `hx${randomUUID().slice(0, 8)}-`;
  const issuer = await startJwksIssuer();
  const metricsToken = `metrics-${randomUUID()}-${randomUUID()}`;
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    JWT_SECRET: '',
    JWKS_URL: issuer.url,
    METRICS_TOKEN: metricsToken,
    LOG_LEVEL: 'fatal',
    EVENT_STREAM_PREFIX: `test-${prefix}`,
    QDRANT_COLLECTION_PREFIX: `t_${prefix.replace(/-/g, '')}_`,
    GATEWAY_RATE_LIMIT: '1000000',
    // answers are stored at their first miss: the cache cases show what a stored answer is served to
    GATEWAY_RESPONSE_CACHE_ADMIT_AFTER: '1',
    SUBGRAPH_RATE_LIMIT: '1000000',
    UNAUTHENTICATED_RATE_LIMIT: '1000000',
    // a slow body is refused within the suite's one second
    REQUEST_BODY_TIMEOUT_MS: '500',
  });
  const driver = createNeo4jDriver(config.neo4j);
  await createSmallGraph(driver, prefix);
  const sql = new pg.Pool({ connectionString: config.postgres.url, max: 2 });
  const knowledge = await startKnowledge(config, 0, { driver, consumeFeedback: false });
  const operations = await startOperations(config, 0);
  const search = await startSearch(config, 0, { consumers: false });
  const patientA = `${prefix}patient-1`;
  const patientB = `${prefix}patient-2`;
  const [sessionA] = (await seedSessions(sql, `${prefix}a`, patientA, 1, { messages: 10 })) as [SeededSession];
  const [sessionB] = (await seedSessions(sql, `${prefix}b`, patientB, 1, { messages: 10 })) as [SeededSession];

  const file = join(await mkdtemp(join(tmpdir(), 'hostile-')), 'supergraph.graphql');
  await writeFile(
    file,
    composeSupergraph([
      { name: 'knowledge', url: knowledge.url, sdl: subgraphSdl.knowledge },
      { name: 'operations', url: operations.url, sdl: subgraphSdl.operations },
      { name: 'search', url: search.url, sdl: subgraphSdl.search },
    ]),
  );
  const gateways: ServiceHandle[] = [];
  const startWorldGateway = async (options: GatewayOptions = {}) => {
    const gateway = await startGateway(config, { port: 0, supergraph: { file }, redisPrefix: `gw-test:${prefix}${gateways.length}:`, ...options });
    gateways.push(gateway);
    return gateway;
  };
  const gateway = await startWorldGateway();
  const sign = (claims: { sub: string; role: Role; patientId?: string }) => issuer.sign(claims, config.auth);
  const tokens = Object.fromEntries(
    await Promise.all(roles.map(async (role) => [role, await sign({ sub: `${prefix}${role}`, role, ...(role === 'patient' ? { patientId: patientA } : {}) })])),
  ) as Record<Role, string>;
  return {
    prefix,
    config,
    issuer,
    urls: { gateway: gateway.url, knowledge: knowledge.url, operations: operations.url, search: search.url },
    patientA,
    patientB,
    sessionA,
    sessionB,
    metricsToken,
    tokens: { ...tokens, patientB: await sign({ sub: `${prefix}patient-b`, role: 'patient', patientId: patientB }) },
    sign,
    startGateway: startWorldGateway,
    sql,
    driver,
    async stop() {
      await Promise.all(gateways.map((handle) => handle.stop()));
      await Promise.all([knowledge, operations, search].map((handle) => handle.stop()));
      await removeTestData(driver, prefix);
      await driver.close();
      await sql.query(`DELETE FROM sessions WHERE patient_id = ANY($1)`, [[patientA, patientB]]);
      await sql.end();
      const qdrant = createQdrantClient(config.qdrant);
      for (const name of Object.values(createCollectionNames(config.qdrant.collectionPrefix))) {
        if ((await qdrant.collectionExists(name)).exists) await qdrant.deleteCollection(name);
      }
      const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
      const keys: string[] = [];
      for await (const batch of redis.scanStream({ match: `*${prefix}*`, count: 500 }) as AsyncIterable<string[]>) keys.push(...batch);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await issuer.close();
    },
  };
}

/** Rows, nodes, relationships and points in every store: what no hostile request may change. */
export async function countEverything(world: HostileWorld): Promise<Record<string, number>> {
  const tables = ['sessions', 'messages', 'feedback', 'preference_pairs', 'documents', 'document_quality', 'audit_logs', 'outbox_events', 'processed_events', 'users', 'preferences', 'migration_stages', 'migration_changes'];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await world.sql.query<{ count: string }>(`SELECT count(*) FROM ${table}`);
    counts[`postgres.${table}`] = Number(rows[0]?.count);
  }
  const { records } = await world.driver.executeQuery('MATCH (n) WITH count(n) AS nodes OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS relationships');
  counts['neo4j.nodes'] = records[0]?.get('nodes') as number;
  counts['neo4j.relationships'] = records[0]?.get('relationships') as number;
  const qdrant = createQdrantClient(world.config.qdrant);
  for (const name of Object.values(createCollectionNames(world.config.qdrant.collectionPrefix))) {
    counts[`qdrant.${name}`] = (await qdrant.collectionExists(name)).exists ? (await qdrant.count(name, { exact: true })).count : 0;
  }
  return counts;
}

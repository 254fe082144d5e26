import { randomUUID } from 'node:crypto';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll } from 'vitest';
import { signDevToken, type Role } from '../../../lib/auth.js';
import { loadConfig, type Config } from '../../../lib/config.js';
import type { ServiceHandle } from '../../../lib/http-server.js';
import { startKnowledge, type KnowledgeOptions } from '../../../subgraphs/knowledge/server.js';
import { createRedis } from '../../../lib/redis.js';
import { createNeo4jDriver } from '../../../subgraphs/knowledge/store/driver.js';
import { announceGraphWrites, markGraphChanged } from '../../../subgraphs/knowledge/store/graph-generation.js';
import { ensureKnowledgeSchema } from '../../../subgraphs/knowledge/store/schema-setup.js';
import { createSmallGraph } from './small-graph.js';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** A knowledge subgraph on port 0 with its own event-stream prefix, plus helpers to call it as any role. */
export async function startKnowledgeFixture(options: KnowledgeOptions = {}) {
  const tag = randomUUID().slice(0, 8);
  const config: Config = { ...loadConfig(), eventStreamPrefix: `test-kg-${tag}`, logLevel: 'warn' };
  const baseDriver = createNeo4jDriver(config.neo4j);
  const redis = createRedis(config.redis.url, `kg-fixture-${tag}`);
  // the tests' own writes make the subgraph's remembered graph reads stale, as the subgraph's do
  const driver = announceGraphWrites(baseDriver, () => markGraphChanged(redis));
  await ensureKnowledgeSchema(driver);
  const service: ServiceHandle = await startKnowledge(config, 0, { driver: baseDriver, consumeFeedback: false, ...options });

  async function tokenFor(role: Role, patientId?: string): Promise<string> {
    return signDevToken(config.auth, { sub: `${role}-${tag}`, role, ...(patientId ? { patientId } : {}) });
  }

  async function query<TData = Record<string, unknown>>(
    text: string,
    variables: Record<string, unknown> = {},
    as: { role: Role; patientId?: string } | null = { role: 'clinician' },
  ): Promise<GraphQLResponse<TData>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (as) headers.authorization = `Bearer ${await tokenFor(as.role, as.patientId)}`;
    const response = await fetch(service.url, { method: 'POST', headers, body: JSON.stringify({ query: text, variables }) });
    return (await response.json()) as GraphQLResponse<TData>;
  }

  return {
    config,
    driver: driver as Driver,
    service,
    tag,
    /** Unique id prefix of this test file's data. */
    prefix: `kgtest-${tag}:`,
    tokenFor,
    query,
    stop: async () => {
      await service.stop();
      redis.disconnect();
      await baseDriver.close();
    },
  };
}

/** Deletes every node this fixture created (ids starting with, or events naming, `prefix`) and their transitions. */
export async function removeTestData(driver: Driver, prefix: string): Promise<void> {
  await driver.executeQuery('MATCH (p:ProcessedEvent) WHERE p.id CONTAINS $prefix DELETE p', { prefix });
  await driver.executeQuery(
    `MATCH (n) WHERE (n:MedicalEntity OR n:Patient OR n:Diagnosis OR n:Medication OR n:Allergy) AND n.id STARTS WITH $prefix
     OPTIONAL MATCH (t:LayerTransition {entity_id: n.id})
     DETACH DELETE n, t`,
    { prefix },
  );
}

export type KnowledgeFixture = Awaited<ReturnType<typeof startKnowledgeFixture>>;

/**
 * Registers this test file's hooks: a knowledge subgraph with the small graph under its own
 * prefix before the tests, its data removed and the server stopped after them.
 */
export function useSmallGraph(): { readonly kg: KnowledgeFixture; id: (name: string) => string } {
  let fixture: KnowledgeFixture | undefined;
  beforeAll(async () => {
    fixture = await startKnowledgeFixture();
    await createSmallGraph(fixture.driver, fixture.prefix);
  });
  afterAll(async () => {
    if (!fixture) return;
    await removeTestData(fixture.driver, fixture.prefix);
    await fixture.stop();
  });
  const world = {
    get kg(): KnowledgeFixture {
      if (!fixture) throw new Error('the knowledge fixture is not started yet (use it inside tests)');
      return fixture;
    },
    id: (name: string) => `${world.kg.prefix}${name}`,
  };
  return world;
}

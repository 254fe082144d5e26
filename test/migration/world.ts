import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import pg from 'pg';
import { signDevToken, type Role } from '../../lib/auth.js';
import { allStreamNames } from '../../lib/event-contracts.js';
import { loadConfig, type Config } from '../../lib/config.js';
import { postGraphQL, type GraphQLResponse } from '../../lib/graphql-client.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { createLogger } from '../../lib/logger.js';
import { createLegacyDriver } from '../../migration/legacy/driver.js';
import type { MigrationDomain, MigrationStage } from '../../migration/stages/stage-rules.js';
import { startOperations } from '../../subgraphs/operations/server.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { forgetMovedDocuments, wipeLegacy } from './legacy-store.js';

/**
 * A deployment in the middle of the move, on the real stores: a PostgreSQL database of its own,
 * the legacy labels of the shared Neo4j (emptied first: migration tests run alone), operations
 * replicas started on demand. Stages start at `legacy`.
 */
export interface MigrationWorld {
  run: string;
  config: Config;
  /** The variables the world's configuration comes from (on top of the environment): for service processes. */
  env: Record<string, string>;
  /** Makes a replica running elsewhere (its own process) the one GraphQL goes to first. */
  attach(url: string): void;
  scratch: ScratchDatabase;
  sql: pg.Pool;
  legacy: Driver;
  replicas: ServiceHandle[];
  /** Starts one more operations replica (`env`: variables on top of the world's). */
  startReplica(env?: Record<string, string>): Promise<ServiceHandle>;
  token(role: Role, patientId?: string): Promise<string>;
  /** GraphQL against a replica (default the first). */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string, replica?: ServiceHandle): Promise<GraphQLResponse<T>>;
  /** The same world, with GraphQL sent to `replica`. */
  via(replica: ServiceHandle): MigrationWorld;
  /** setMigrationStage as admin; throws when refused. */
  setStage(domain: MigrationDomain, stage: MigrationStage, options?: { rolloutPercent?: number; force?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export const stageValue = (stage: MigrationStage) => stage.toUpperCase();

export interface WorldOptions {
  /** Variables on top of the world's. */
  env?: Record<string, string>;
  /** Variables that depend on the world's database (a proxy in front of it): on top of `env`. */
  envFor?: (scratch: ScratchDatabase) => Record<string, string>;
}

export async function startMigrationWorld(label: string, options: WorldOptions = {}): Promise<MigrationWorld> {
  const run = randomUUID().slice(0, 8);
  const base = loadConfig();
  const scratch = await createScratchDatabase(base.postgres.url, label);
  const env = { ...options.env, ...options.envFor?.(scratch) };
  const worldEnv: Record<string, string> = {
    DATABASE_URL: scratch.url,
    EVENT_STREAM_PREFIX: `test-mig-${run}`,
    QDRANT_COLLECTION_PREFIX: `test_mig_${run}_`,
    OPERATIONS_VIEW_REFRESH_SECONDS: '0',
    ENABLE_POSTGRES_SESSIONS: 'false',
    ENABLE_POSTGRES_FEEDBACK: 'false',
    ENABLE_QDRANT_DOCUMENTS: 'false',
    MIGRATION_STAGE_POLL_MS: '200',
    MIGRATION_RELAY_INTERVAL_MS: '200',
    SUBGRAPH_RATE_LIMIT: '1000000',
    FEEDBACK_LIMIT_PER_PATIENT_PER_DAY: '100000',
    FEEDBACK_LIMIT_PER_ENTITY_PER_DAY: '100000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'fatal',
    ...env,
  };
  const config = loadConfig({ ...process.env, ...worldEnv });
  // the test's own view of both stores, never through a proxy the test takes down
  const legacy = createLegacyDriver(base.migration.legacy);
  await wipeLegacy(legacy);
  const sql = new pg.Pool({ connectionString: scratch.url, max: 4 });
  const replicas: ServiceHandle[] = [];
  const admin = await signDevToken(config.auth, { sub: `admin-${run}`, role: 'admin' });
  const world: MigrationWorld = {
    run,
    config,
    env: worldEnv,
    attach: (url) => {
      // its process is the test's to stop
      replicas.unshift({ name: 'operations-process', url, port: Number(new URL(url).port), stop: async () => undefined });
    },
    scratch,
    sql,
    legacy,
    replicas,
    startReplica: async (extra = {}) => {
      const replicaConfig = Object.keys(extra).length === 0 ? config : loadConfig({ ...process.env, ...worldEnv, ...extra });
      const handle = await startOperations(replicaConfig, 0, { logger: createLogger(replicaConfig, `operations-${replicas.length}`) });
      replicas.push(handle);
      return handle;
    },
    token: (role, patientId) => signDevToken(config.auth, { sub: `${role}-${run}-${randomUUID().slice(0, 6)}`, role, ...(patientId ? { patientId } : {}) }),
    gql: (query, variables = {}, token, replica) => {
      const target = replica ?? replicas[0];
      if (!target) throw new Error('no operations replica started');
      return postGraphQL(target.url, query, variables, token ? { token } : {});
    },
    via: (replica) => ({ ...world, gql: (query, variables, token) => world.gql(query, variables, token, replica) }),
    setStage: async (domain, stage, options = {}) => {
      const result = await world.gql(
        `mutation($domain: MigrationDomain!, $stage: MigrationStage!, $rollout: Int, $force: Boolean) { setMigrationStage(domain: $domain, stage: $stage, rolloutPercent: $rollout, force: $force) { stage } }`,
        { domain: domain.toUpperCase(), stage: stageValue(stage), rollout: options.rolloutPercent ?? null, force: options.force ?? false },
        admin,
      );
      if (result.errors) throw new Error(`setMigrationStage ${domain} ${stage}: ${result.errors.map((error) => error.message).join('; ')}`);
    },
    stop: async () => {
      await Promise.all(replicas.map((replica) => replica.stop()));
      await forgetMovedDocuments(config, sql);
      await wipeLegacy(legacy);
      await legacy.close();
      await sql.end();
      await scratch.drop();
      const redis = new Redis(config.redis.url);
      await redis.del(...allStreamNames(config.eventStreamPrefix), `${config.eventStreamPrefix}:migration:stage-epoch`);
      redis.disconnect();
    },
  };
  return world;
}

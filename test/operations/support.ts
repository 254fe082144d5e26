import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { signDevToken, type Role } from '../../lib/auth.js';
import { loadConfig, type Config } from '../../lib/config.js';
import { allStreamNames } from '../../lib/event-contracts.js';
import { postGraphQL, type GraphQLResponse } from '../../lib/graphql-client.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { createLogger } from '../../lib/logger.js';
import { startOperations } from '../../subgraphs/operations/server.js';
import { createPool } from '../../subgraphs/operations/store/index.js';

/** A running operations subgraph on port 0 with its own stream prefix and a statement counter. */
export interface OperationsHarness {
  config: Config;
  service: ServiceHandle;
  /** Unique per harness: prefix every id with it. */
  run: string;
  /** Statements sent through the subgraph pool's query() (reads outside transactions). */
  statements: { count: number };
  /** The subgraph's own pool (its connections in use tell a leak). */
  pool: pg.Pool;
  /** A separate connection for assertions. */
  sql: pg.Pool;
  token(role: Role, patientId?: string): Promise<string>;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/** `env`: variables of this harness's own (tests set small limits). */
export async function startHarness(env: Record<string, string> = {}): Promise<OperationsHarness> {
  const run = randomUUID().slice(0, 8);
  const config = loadConfig({ ...process.env, EVENT_STREAM_PREFIX: `test-ops-${run}`, OPERATIONS_VIEW_REFRESH_SECONDS: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'fatal', ...env });
  const pool = createPool(config.postgres.url);
  const statements = { count: 0 };
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) => {
    statements.count += 1;
    return query(...args);
  }) as typeof pool.query;
  const service = await startOperations(config, 0, { pool, logger: createLogger(config, 'operations-test'), outboxRelayMs: 200 });
  const sql = new pg.Pool({ connectionString: config.postgres.url, max: 2 });
  return {
    config,
    service,
    run,
    statements,
    pool,
    sql,
    token: (role, patientId) => signDevToken(config.auth, { sub: `${role}-${run}`, role, ...(patientId ? { patientId } : {}) }),
    gql: (query, variables = {}, token) => postGraphQL(service.url, query, variables, token ? { token } : {}),
    stop: async () => {
      await service.stop();
      await pool.end();
      await sql.end();
      // the streams are this harness's alone (unique prefix): leave nothing behind in the shared Redis
      const redis = new Redis(config.redis.url);
      await redis.del(...allStreamNames(config.eventStreamPrefix));
      redis.disconnect();
    },
  };
}

/** The single row count of a statement such as `SELECT count(*) ...`. */
export async function countRows(sql: pg.Pool, text: string, values: unknown[]): Promise<number> {
  const { rows } = await sql.query<{ count: string }>(text, values);
  return Number(rows[0]?.count ?? -1);
}

/** `extensions.code` of the first error. */
export function errorCode(result: GraphQLResponse<unknown>): unknown {
  return result.errors?.[0]?.extensions?.code;
}

import { createHash } from 'node:crypto';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { Gauge } from 'prom-client';
import type { Config } from '../../../lib/config.js';
import type { StoreMetrics } from '../../../lib/store-metrics.js';
import * as schema from './schema/index.js';

export type Database = NodePgDatabase<typeof schema>;
/** A database or an open transaction: store functions accept either. */
export type Executor = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

/** Options of the operations connection pool. */
export interface PoolOptions {
  /** Connections kept at most; default 10. */
  max?: number;
  /** Statements running longer are cancelled by PostgreSQL; 0 or absent: no limit. */
  statementTimeoutMs?: number;
  /** A connection idle inside an open transaction this long is closed by PostgreSQL; 0 or absent: no limit. */
  idleTransactionTimeoutMs?: number;
}

/** The pool settings of a service, from configuration (POSTGRES_POOL_MAX and the two timeouts). */
export const poolOptionsOf = (postgres: Config['postgres']): PoolOptions => ({
  max: postgres.poolMax,
  statementTimeoutMs: postgres.statementTimeoutMs,
  idleTransactionTimeoutMs: postgres.idleTransactionTimeoutMs,
});

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const limit = (ms: number | undefined) => (ms !== undefined && ms > 0 ? Math.trunc(ms) : undefined);
  const statementTimeout = limit(options.statementTimeoutMs);
  const idleTransactionTimeout = limit(options.idleTransactionTimeoutMs);
  // startup parameters of each connection (PGlite's server accepts and ignores them)
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: 'operations',
    ...(statementTimeout ? { statement_timeout: statementTimeout } : {}),
    ...(idleTransactionTimeout ? { idle_in_transaction_session_timeout: idleTransactionTimeout } : {}),
  });
  // A connection lost while PostgreSQL restarts emits 'error' on its client, in the pool or checked
  // out between two statements of a transaction; unheard, that would crash the process. The
  // statement that needed the connection reports the outage where it matters.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => lostConnections.add(client));
    prepareStatements(client);
  });
  return pool;
}

/** Statement texts a connection prepares at most; the others run unprepared. */
const maxPreparedPerConnection = 500;

/** Statement names by text, for every connection: hashing a text once, not at every execution. */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  const known = statementNames.get(text);
  if (known) return known;
  const name = `s${createHash('sha1').update(text).digest('base64url')}`;
  // texts are the code's own (values are parameters), so few; bounded all the same
  if (statementNames.size >= 10 * maxPreparedPerConnection) statementNames.clear();
  statementNames.set(text, name);
  return name;
}

/**
 * The connection prepares each statement text it runs (a named statement, named by a hash of the
 * text) and then only binds and executes it: PostgreSQL parses and plans it once per connection,
 * not at every execution (measured alone: the message page statement took 330 to 370 µs of
 * PostgreSQL's CPU unprepared, 115 to 135 prepared; a session by id 105 and 45). Statements
 * whose text varies with their number of parameters would make ever more; past
 * `maxPreparedPerConnection` texts a connection runs the new ones unprepared.
 */
function prepareStatements(client: pg.PoolClient): void {
  const prepared = new Set<string>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const config = args[0] as { text?: unknown; name?: unknown } | null;
    // query configs only: a bare string and a Submittable (a cursor) are left as they are
    if (config && typeof config === 'object' && typeof config.text === 'string' && config.name === undefined && !('submit' in config)) {
      const name = statementName(config.text);
      if (prepared.has(name) || prepared.size < maxPreparedPerConnection) {
        prepared.add(name);
        args[0] = { ...config, name };
      }
    }
    return query(...args);
  }) as typeof client.query;
}

const statementKinds = new Set(['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback', 'savepoint', 'release', 'refresh', 'copy', 'set']);

/** A statement's kind for metrics: its first keyword, from a fixed set. */
function statementKind(query: unknown): string {
  const text = typeof query === 'string' ? query : (query as { text?: unknown } | null)?.text;
  const keyword = typeof text === 'string' ? (/^\s*([a-z]+)/i.exec(text)?.[1] ?? '').toLowerCase() : '';
  return statementKinds.has(keyword) ? keyword : 'other';
}

/**
 * Times every statement of the pool's connections (by kind) and exports the pool's use:
 * `<service>_store_pool_connections{store="postgres", state="open|idle|waiting"}`.
 */
export function instrumentPool(pool: pg.Pool, metrics: StoreMetrics): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const callback = args.at(-1);
      // the pool's own query() (drizzle's reads outside transactions) hands the client a callback
      if (typeof callback === 'function') {
        let settle: (error: unknown) => void = () => undefined;
        void metrics.observe('postgres', statementKind(args[0]), new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error as Error) : resolve()))));
        args[args.length - 1] = (error: unknown, ...results: unknown[]) => {
          settle(error);
          return (callback as (...parameters: unknown[]) => unknown)(error, ...results);
        };
        return query(...args);
      }
      const result = query(...args);
      // streams (cursors) are left alone: they are read over many round trips
      if (result instanceof Promise) void metrics.observe('postgres', statementKind(args[0]), result);
      return result;
    }) as typeof client.query;
  });
  new Gauge({
    name: `${metrics.prefix}_store_pool_connections`,
    help: 'Connections of the store pool: open, idle, and callers waiting for one',
    labelNames: ['store', 'state'] as const,
    registers: [metrics.registry],
    collect() {
      this.set({ store: 'postgres', state: 'open' }, pool.totalCount);
      this.set({ store: 'postgres', state: 'idle' }, pool.idleCount);
      this.set({ store: 'postgres', state: 'waiting' }, pool.waitingCount);
    },
  });
}

/** Connections that reported an error: never given back to the pool for reuse. */
const lostConnections = new WeakSet<pg.ClientBase>();

export function createDatabase(pool: pg.Pool): Database {
  const db = drizzle(pool, { schema });
  // drizzle's own pool transactions never give their connection back when BEGIN fails (PostgreSQL
  // just went away): the pool runs dry and every later statement waits forever. Each transaction
  // here takes its connection itself and always returns it, discarding it when it broke.
  db.transaction = (async (work, config) => {
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      return await drizzle(client, { schema }).transaction(work, config);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.release(lostConnections.has(client) ? (failure ?? new Error('connection lost')) : undefined);
    }
  }) as Database['transaction'];
  return db;
}

/** Readiness: true when PostgreSQL answers. */
export async function pingDatabase(pool: pg.Pool): Promise<boolean> {
  const { rowCount } = await pool.query('SELECT 1');
  return rowCount === 1;
}

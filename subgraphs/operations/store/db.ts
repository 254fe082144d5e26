import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.js';

export type Database = NodePgDatabase<typeof schema>;
/** A database or an open transaction: store functions accept either. */
export type Executor = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

/** Options of the operations connection pool. */
export interface PoolOptions {
  /** Connections kept at most; default 10. */
  max?: number;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, application_name: 'operations' });
  // A connection lost while PostgreSQL restarts emits 'error' on its client, in the pool or checked
  // out between two statements of a transaction; unheard, that would crash the process. The
  // statement that needed the connection reports the outage where it matters.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => lostConnections.add(client)));
  return pool;
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

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
  return new pg.Pool({ connectionString: url, max: options.max ?? 10, application_name: 'operations' });
}

export function createDatabase(pool: pg.Pool): Database {
  return drizzle(pool, { schema });
}

/** Readiness: true when PostgreSQL answers. */
export async function pingDatabase(pool: pg.Pool): Promise<boolean> {
  const { rowCount } = await pool.query('SELECT 1');
  return rowCount === 1;
}

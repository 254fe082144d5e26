import pg from 'pg';
import { loadConfig, type Config } from '../../lib/config.js';
import { migrateDatabase } from '../../subgraphs/operations/store/index.js';

/**
 * The configuration of a database of the benchmarks' own (`<db>_bench_operations`, created
 * and migrated when missing), so their large data sets never touch the shared test data.
 */
export async function prepareBenchConfig(): Promise<Config> {
  const base = loadConfig();
  const url = new URL(base.postgres.url);
  const name = `${url.pathname.slice(1)}_bench_operations`;
  const admin = new pg.Client({ connectionString: base.postgres.url });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    // identifiers cannot be parameters; the name comes from our own configuration, not from input
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  const config = loadConfig({ ...process.env, DATABASE_URL: url.toString(), EVENT_STREAM_PREFIX: 'bench-operations', OPERATIONS_VIEW_REFRESH_SECONDS: '0', LOG_LEVEL: 'warn' });
  await migrateDatabase(config);
  return config;
}

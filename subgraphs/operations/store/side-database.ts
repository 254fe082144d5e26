import pg from 'pg';
import { migrateDatabase } from './migrate.js';

/**
 * A database of its own beside the configured one (`<db>_<suffix>`), created and migrated when
 * missing: benchmarks and the migration rehearsal put their large or generated data there, so
 * the demo and test data are never touched. Returns its URL.
 */
export async function prepareSideDatabase(baseUrl: string, suffix: string): Promise<string> {
  const url = new URL(baseUrl);
  const name = `${url.pathname.slice(1)}_${suffix}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`"${name}" is not a plain database name`);
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    // identifiers cannot be parameters; the name was checked to be plain above
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  await migrateDatabase({ postgres: { url: url.toString() } });
  return url.toString();
}

import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Config } from '../../../lib/config.js';

export const migrationsFolder = fileURLToPath(new URL('../../../drizzle', import.meta.url));

/** Any constant shared by every migrating process: the advisory lock that serialises them. */
const migrationLockKey = 4_002_001;

/**
 * Applies the pending migrations of drizzle/ (idempotent: applied ones are recorded in
 * drizzle.__drizzle_migrations). An advisory lock lets parallel test workers and replicas
 * start together without racing on the same DDL.
 */
export async function migrateDatabase(config: { postgres: Pick<Config['postgres'], 'url'> }): Promise<void> {
  const client = new pg.Client({ connectionString: config.postgres.url, application_name: 'operations-migrate' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    await client.end();
  }
}

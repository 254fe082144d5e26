import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';

describe('PostgreSQL store', () => {
  const client = new pg.Client({ connectionString: loadConfig().postgres.url });

  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('is a real PostgreSQL server', async () => {
    const { rows } = await client.query<{ version: string }>('SELECT version()');
    expect(rows[0]?.version).toMatch(/^PostgreSQL 1[5-9]\./);
  });

  it('can create the pg_trgm extension and use trigram similarity', async () => {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    const { rows } = await client.query<{ score: number }>('SELECT similarity($1, $2) AS score', ['rheumatoid', 'rheumatiod']);
    expect(rows[0]?.score).toBeGreaterThan(0.3);
    expect(rows[0]?.score).toBeLessThan(1);
  });

  it('has gen_random_uuid() without uuid-ossp', async () => {
    const { rows } = await client.query<{ id: string }>('SELECT gen_random_uuid()::text AS id');
    expect(rows[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { createPool, poolOptionsOf } from '../../subgraphs/operations/store/db.js';

/** PostgreSQL's safety limits, set on every connection of a service's pool from configuration. */
describe('operations pool limits', () => {
  const config = loadConfig({ ...process.env, POSTGRES_POOL_MAX: '2', POSTGRES_STATEMENT_TIMEOUT_MS: '300', POSTGRES_IDLE_TRANSACTION_TIMEOUT_MS: '400' });
  const pool = createPool(config.postgres.url, poolOptionsOf(config.postgres));
  afterAll(() => pool.end());

  it('cancels a statement that runs past the statement timeout', async () => {
    await expect(pool.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
    expect((await pool.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });

  it('closes a connection left idle inside a transaction, rolling the transaction back', async () => {
    const client = await pool.connect();
    client.on('error', () => undefined);
    try {
      await client.query('BEGIN');
      await new Promise((resolve) => setTimeout(resolve, 900));
      await expect(client.query('SELECT 1')).rejects.toThrow();
    } finally {
      client.release(true);
    }
  });

  it('keeps at most POSTGRES_POOL_MAX connections', async () => {
    await Promise.all(Array.from({ length: 6 }, () => pool.query('SELECT pg_sleep(0.05)')));
    expect(pool.totalCount).toBeLessThanOrEqual(2);
  });
});

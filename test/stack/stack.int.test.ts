import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { sleep } from '../../stack/processes.js';
import { redisAnswers } from '../../stack/redis.js';
import { stackDown, stackStatus, stackUp } from '../../stack/stack.js';
import { StackError } from '../../stack/store.js';
import { freePort } from '../support/free-port.js';

/** Each case runs its own Redis on a spare port in its own stack folder, away from the shared stack. */
describe('stack lifecycle', () => {
  const dirs: string[] = [];
  const strangers: ChildProcess[] = [];
  const isolatedConfig = async (extra: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'synapse-stack-'));
    dirs.push(dir);
    return loadConfig({ NODE_ENV: 'test', STACK_DIR: dir, REDIS_PORT: String(await freePort()), ...extra });
  };

  afterAll(async () => {
    for (const stranger of strangers) stranger.kill('SIGTERM');
    for (const dir of dirs) {
      await stackDown(loadConfig({ STACK_DIR: dir }), ['redis', 'postgres']);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts a store, reuses it on a second up, and stops it on down', async () => {
    const config = await isolatedConfig();
    const [first] = await stackUp(config, ['redis']);
    expect(first).toMatchObject({ name: 'redis', state: 'started', managed: true });

    const [second] = await stackUp(config, ['redis']);
    expect(second).toMatchObject({ state: 'reused', managed: true, pid: first?.pid });
    expect(second?.ms).toBeLessThan(1000);

    const [down] = await stackDown(config, ['redis']);
    expect(down).toMatchObject({ state: 'stopped', pid: first?.pid });
    const [status] = (await stackStatus(config)).filter((report) => report.name === 'redis');
    expect(status?.ready).toBe(false);
  });

  it('reuses a healthy store it did not start, and leaves it running on down', async () => {
    const config = await isolatedConfig();
    const stranger = spawn('redis-server', ['--port', String(config.redis.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    strangers.push(stranger);
    await waitForPing(config.redis.url);

    const [up] = await stackUp(config, ['redis']);
    expect(up).toMatchObject({ state: 'reused', managed: false });
    const [down] = await stackDown(config, ['redis']);
    expect(down?.state).toBe('not-running');

    const client = new Redis(config.redis.url);
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });

  it('never starts a store whose URL is set, and names the variable when it does not answer', async () => {
    const config = await isolatedConfig({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const failure = stackUp(config, ['redis']);
    await expect(failure).rejects.toBeInstanceOf(StackError);
    await expect(failure).rejects.toThrow(/REDIS_URL is set to redis:\/\/127\.0\.0\.1:\d+, but nothing answers there/);
  });

  it('serves embedded PGlite over the wire protocol when asked (the zero-install default of the main job)', async () => {
    const config = await isolatedConfig({ STACK_POSTGRES: 'pglite', POSTGRES_PORT: String(await freePort()) });
    const [up] = await stackUp(config, ['postgres']);
    expect(up).toMatchObject({ name: 'postgres', state: 'started', managed: true });
    const client = new pg.Client({ connectionString: config.postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string }>('SELECT version()');
      expect(rows[0]?.version).toMatch(/^PostgreSQL 1[5-9]/);
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      const similarity = await client.query<{ score: number }>('SELECT similarity($1, $2) AS score', ['psoriasis', 'psoriasys']);
      expect(similarity.rows[0]?.score).toBeGreaterThan(0.3);
    } finally {
      await client.end();
    }
    const [down] = await stackDown(config, ['postgres']);
    expect(down?.state).toBe('stopped');
  });
});


async function waitForPing(url: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await redisAnswers(url)) return;
    await sleep(100);
  }
  throw new Error(`redis at ${url} never answered`);
}

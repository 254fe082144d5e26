import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';

describe('Redis store', () => {
  const redis = new Redis(loadConfig().redis.url, { maxRetriesPerRequest: 1 });
  afterAll(() => redis.quit());

  it('is a real Redis server', async () => {
    const info = await redis.info('server');
    expect(info).toMatch(/redis_version:(\d+)\./);
    expect(Number(/redis_version:(\d+)\./.exec(info)?.[1])).toBeGreaterThanOrEqual(6);
  });

  it('supports streams with consumer groups (durable events)', async () => {
    const stream = `test:stream:${randomUUID()}`;
    await redis.xgroup('CREATE', stream, 'readers', '0', 'MKSTREAM');
    const id = await redis.xadd(stream, '*', 'kind', 'probe');
    const read = (await redis.xreadgroup('GROUP', 'readers', 'reader-1', 'COUNT', 10, 'STREAMS', stream, '>')) as [string, [string, string[]][]][];
    expect(read[0]?.[1][0]?.[0]).toBe(id);
    expect(await redis.xack(stream, 'readers', id as string)).toBe(1);
    await redis.del(stream);
  });
});

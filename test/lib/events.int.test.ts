import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { consumerLag } from '../../lib/consumer-lag.js';
import { publishEvent, startConsumer, type DurableEvent } from '../../lib/events.js';
import { createRedis } from '../../lib/redis.js';

const redis = createRedis(loadConfig().redis.url, 'events-test');
const logger = pino({ level: 'silent' });

afterAll(() => redis.quit());

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('durable events on Redis streams', () => {
  it('delivers each published event to the group once and acknowledges it', async () => {
    const stream = `test:events:${randomUUID()}`;
    const seen: DurableEvent<{ n: number }>[] = [];
    const consumer = await startConsumer<{ n: number }>(redis, {
      stream, group: 'g', consumer: 'c1', logger, blockMs: 100,
      handle: async (event) => void seen.push(event),
    });
    await publishEvent(redis, stream, { id: 'e-1', type: 'thing.happened', payload: { n: 1 } });
    await publishEvent(redis, stream, { id: 'e-2', type: 'thing.happened', payload: { n: 2 } });
    await eventually(() => seen.length === 2);
    await consumer.stop();
    expect(seen.map((event) => [event.id, event.payload.n])).toEqual([['e-1', 1], ['e-2', 2]]);
    expect(await consumerLag(redis, stream, 'g')).toEqual({ lag: 0, pending: 0 });
    await redis.del(stream);
  });

  it('reports no lag for a group given the last entry, though Redis’s read counter says otherwise', async () => {
    const stream = `test:events:${randomUUID()}`;
    const seen: string[] = [];
    const consumer = await startConsumer<{ n: number }>(redis, { stream, group: 'g', consumer: 'c1', logger, blockMs: 100, handle: async (event) => void seen.push(event.id) });
    for (const n of [1, 2, 3]) await publishEvent(redis, stream, { id: `e-${n}`, type: 'thing.happened', payload: { n } });
    await eventually(() => seen.length === 3);
    await consumer.stop();
    // the counter Redis derives its lag from, set wrong as it drifts: Redis now reports 3
    await redis.xgroup('SETID', stream, 'g', '$', 'ENTRIESREAD', 0);
    expect(await consumerLag(redis, stream, 'g')).toEqual({ lag: 0, pending: 0 });
    await publishEvent(redis, stream, { id: 'e-4', type: 'thing.happened', payload: { n: 4 } });
    expect((await consumerLag(redis, stream, 'g')).lag).toBeGreaterThan(0);
    await redis.del(stream);
  });

  it('starts a group made with startAt newest after the entries already there, and one made by default before them', async () => {
    const stream = `test:events:${randomUUID()}`;
    await publishEvent(redis, stream, { id: 'before', type: 'thing.happened', payload: { n: 1 } });
    const seen: Record<string, string[]> = { first: [], newest: [] };
    const consumers = await Promise.all(
      (['first', 'newest'] as const).map((startAt) =>
        startConsumer<{ n: number }>(redis, { stream, group: startAt, consumer: 'c1', logger, blockMs: 100, startAt, handle: async (event) => void seen[startAt]?.push(event.id) }),
      ),
    );
    await publishEvent(redis, stream, { id: 'after', type: 'thing.happened', payload: { n: 2 } });
    await eventually(() => seen.first?.length === 2 && seen.newest?.length === 1);
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    expect(seen).toEqual({ first: ['before', 'after'], newest: ['after'] });
    await redis.del(stream);
  });

  it('keeps a failed event pending and redelivers it after the claim delay', async () => {
    const stream = `test:events:${randomUUID()}`;
    let attempts = 0;
    const handled: string[] = [];
    const consumer = await startConsumer<{ n: number }>(redis, {
      stream, group: 'g', consumer: 'c1', logger, blockMs: 100, claimIdleMs: 300,
      handle: async (event) => {
        attempts += 1;
        if (attempts === 1) throw new Error('store briefly down');
        handled.push(event.id);
      },
    });
    await publishEvent(redis, stream, { id: 'e-1', type: 'thing.happened', payload: { n: 1 } });
    await eventually(() => attempts === 1);
    expect((await consumerLag(redis, stream, 'g')).pending).toBe(1);
    await eventually(() => handled.length === 1);
    await consumer.stop();
    expect(handled).toEqual(['e-1']);
    expect(attempts).toBe(2);
    expect((await consumerLag(redis, stream, 'g')).pending).toBe(0);
    await redis.del(stream);
  });

  it('hands a batch handler every event of a read, and leaves a failed batch pending as a whole', async () => {
    const stream = `test:events:${randomUUID()}`;
    await redis.xgroup('CREATE', stream, 'g', '0', 'MKSTREAM');
    for (let n = 0; n < 5; n++) await publishEvent(redis, stream, { id: `e-${n}`, type: 't', payload: { n } });
    await redis.xadd(stream, '*', 'not', 'an event');
    const batches: string[][] = [];
    const consumer = await startConsumer<{ n: number }>(redis, {
      stream, group: 'g', consumer: 'c1', logger, blockMs: 100, claimIdleMs: 300,
      handleBatch: async (events) => {
        batches.push(events.map((event) => event.id));
        if (batches.length === 1) throw new Error('store briefly down');
      },
    });
    await eventually(() => batches.length === 2);
    await consumer.stop();
    const all = ['e-0', 'e-1', 'e-2', 'e-3', 'e-4'];
    expect(batches).toEqual([all, all]);
    expect(await consumerLag(redis, stream, 'g')).toEqual({ lag: 0, pending: 0 });
    await redis.del(stream);
  });

  it('with gatherMs, pauses after a read that was not full, so events that arrive one by one are handled together; stop ends the pause', async () => {
    const stream = `test:events:${randomUUID()}`;
    const batches: string[][] = [];
    const consumer = await startConsumer<{ n: number }>(redis, {
      stream, group: 'g', consumer: 'c1', logger, blockMs: 100, gatherMs: 1_500,
      handleBatch: async (events) => void batches.push(events.map((event) => event.id)),
    });
    await publishEvent(redis, stream, { id: 'e-0', type: 't', payload: { n: 0 } });
    await eventually(() => batches.length === 1);
    for (let n = 1; n <= 3; n++) {
      await publishEvent(redis, stream, { id: `e-${n}`, type: 't', payload: { n } });
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await eventually(() => batches.length === 2);
    expect(batches).toEqual([['e-0'], ['e-1', 'e-2', 'e-3']]);
    // the consumer now pauses again: stop does not wait for the pause to end
    const stopping = Date.now();
    await consumer.stop();
    expect(Date.now() - stopping).toBeLessThan(1_000);
    await redis.del(stream);
  });

  it('counts events not yet read as lag', async () => {
    const stream = `test:events:${randomUUID()}`;
    await redis.xgroup('CREATE', stream, 'g', '0', 'MKSTREAM');
    for (let n = 0; n < 3; n++) await publishEvent(redis, stream, { id: `e-${n}`, type: 't', payload: { n } });
    expect(await consumerLag(redis, stream, 'g')).toEqual({ lag: 3, pending: 0 });
    await redis.del(stream);
  });
});

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// deletes the key only while it still holds our token: a lock that expired and was taken
// by another process is never released by us
const releaseScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export type LockOutcome<T> = { acquired: true; result: T } | { acquired: false };

/**
 * Runs `work` while holding `key` (SET NX PX with a random token), or returns
 * `{ acquired: false }` at once when another process holds it. `ttlMs` must exceed the
 * longest expected run: the lock expires by itself if its holder dies.
 */
export async function withRedisLock<T>(redis: Redis, key: string, ttlMs: number, work: () => Promise<T>): Promise<LockOutcome<T>> {
  const token = randomUUID();
  const taken = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (taken !== 'OK') return { acquired: false };
  try {
    return { acquired: true, result: await work() };
  } finally {
    await redis.eval(releaseScript, 1, key, token);
  }
}

import type { Redis } from 'ioredis';
import { AppError } from '../../lib/errors.js';

/**
 * How many subscriptions each identity holds, over every gateway replica: a sorted set per
 * identity in Redis whose members are subscription ids scored by when their lease ends. A replica
 * renews the leases of the subscriptions it serves; a replica that dies leaves leases that simply
 * run out, so its subscribers can subscribe again elsewhere at once or after one lease at most.
 */

export interface IdentitySlots {
  /** Takes a slot for this subscription, or throws RATE_LIMITED when the identity holds its limit. */
  acquire(identity: string, subscriptionId: string): Promise<void>;
  release(identity: string, subscriptionId: string): Promise<void>;
  stop(): void;
}

const leaseMs = 60_000;

export function createIdentitySlots(redis: Redis, options: { prefix: string; perIdentity: number }): IdentitySlots {
  const held = new Map<string, string>();
  const keyOf = (identity: string) => `${options.prefix}subs:${identity}`;
  const renew = setInterval(() => {
    if (held.size === 0) return;
    const until = Date.now() + leaseMs;
    const batch = redis.pipeline();
    for (const [subscriptionId, identity] of held) batch.zadd(keyOf(identity), 'XX', until, subscriptionId).pexpire(keyOf(identity), leaseMs);
    void batch.exec().catch(() => undefined);
  }, leaseMs / 3);
  renew.unref();

  return {
    async acquire(identity, subscriptionId) {
      const key = keyOf(identity);
      const now = Date.now();
      const results = await redis.multi().zremrangebyscore(key, '-inf', now).zadd(key, now + leaseMs, subscriptionId).zcard(key).pexpire(key, leaseMs).exec();
      const count = Number(results?.[2]?.[1] ?? 0);
      if (count > options.perIdentity) {
        await redis.zrem(key, subscriptionId);
        throw new AppError('RATE_LIMITED', `At most ${options.perIdentity} subscriptions at once per identity: end one before starting another`, { limit: options.perIdentity });
      }
      held.set(subscriptionId, identity);
    },
    async release(identity, subscriptionId) {
      held.delete(subscriptionId);
      await redis.zrem(keyOf(identity), subscriptionId).catch(() => undefined);
    },
    stop() {
      clearInterval(renew);
    },
  };
}

import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Redis } from 'ioredis';

/**
 * Apollo's KeyValueCache on Redis (automatic persisted queries), shared by every gateway replica.
 * `ttl` is in seconds as Apollo gives it; none means the entry lives until Redis evicts it.
 * A failing Redis reads as a miss and drops writes: clients then resend the full query, which
 * still works, instead of every persisted-query request failing.
 */
export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key).catch(() => null)) ?? undefined;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttl = options?.ttl;
    const write = ttl ? this.redis.set(this.prefix + key, value, 'EX', Math.ceil(ttl)) : this.redis.set(this.prefix + key, value);
    await write.catch(() => undefined);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}

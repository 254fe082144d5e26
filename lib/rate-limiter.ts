import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError, withHttpStatus } from './errors.js';
import type { Logger } from './logger.js';

/** RATE_LIMITED with HTTP 429 and a Retry-After header (seconds until the window resets). */
export function rateLimited(retryAfterSeconds: number): AppError {
  const error = new AppError('RATE_LIMITED', `Too many requests: retry in ${retryAfterSeconds} s`, { retryAfter: retryAfterSeconds });
  return withHttpStatus(error, 429, { 'retry-after': String(retryAfterSeconds) });
}

export interface RateLimiter {
  /** Counts `requests` (default 1) for `identity`; throws RATE_LIMITED (429) past the limit. */
  charge(identity: string, requests?: number): Promise<void>;
}

// One round trip: count, start the window with the first charge, and report the time left.
const chargeScript = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }`;
const chargeSha = createHash('sha1').update(chargeScript).digest('hex');

/**
 * A fixed-window counter per identity in Redis, shared by every gateway replica.
 * When Redis fails the request is let through (logged, counted): an outage of the limiter
 * must not become an outage of the API.
 */
export function createRateLimiter(
  redis: Redis,
  options: { max: number; windowSeconds: number; keyPrefix?: string; logger: Logger; onReject?: () => void },
): RateLimiter {
  const prefix = options.keyPrefix ?? 'gw:rl:';
  const windowMs = options.windowSeconds * 1000;
  return {
    async charge(identity, requests = 1) {
      let result: [number, number];
      try {
        // evalsha first: the script text crosses the wire only when Redis has not seen it yet.
        result = (await redis.evalsha(chargeSha, 1, `${prefix}${identity}`, windowMs, requests).catch((error: Error) => {
          if (!error.message.startsWith('NOSCRIPT')) throw error;
          return redis.eval(chargeScript, 1, `${prefix}${identity}`, windowMs, requests);
        })) as [number, number];
      } catch (error) {
        options.logger.warn({ err: error }, 'rate limiter unavailable; request allowed');
        return;
      }
      const [count, ttlMs] = result;
      if (count <= options.max) return;
      options.onReject?.();
      throw rateLimited(Math.max(1, Math.ceil(ttlMs / 1000)));
    },
  };
}

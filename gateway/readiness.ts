import type { Redis } from 'ioredis';
import type { ReadinessCheck } from '../lib/http-server.js';

/** True when a service's /healthz (beside its /graphql endpoint) answers 200 within `timeoutMs`. */
export function createHealthCheck(graphqlUrl: string, timeoutMs = 1000): ReadinessCheck {
  const healthUrl = new URL('/healthz', graphqlUrl).toString();
  return async () => (await fetch(healthUrl, { signal: AbortSignal.timeout(timeoutMs) })).ok;
}

export function createRedisCheck(redis: Redis): ReadinessCheck {
  return async () => (await redis.ping()) === 'PONG';
}

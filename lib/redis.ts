import { Redis } from 'ioredis';

/**
 * A Redis client that fails commands fast instead of queueing them forever while Redis is down.
 * `autoPipelining` sends the commands issued in one event-loop turn in one write: for a server
 * issuing a few commands per request under many concurrent requests.
 */
export function createRedis(url: string, connectionName: string, options: { autoPipelining?: boolean } = {}): Redis {
  return new Redis(url, {
    connectionName,
    enableAutoPipelining: options.autoPipelining ?? false,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}

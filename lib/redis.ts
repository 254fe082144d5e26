import { Redis, type Command } from 'ioredis';
import type { StoreMetrics } from './store-metrics.js';

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

/** Commands that wait for data by design (stream consumers): their time is not Redis' latency. */
const waitingCommands = new Set(['blpop', 'brpop', 'brpoplpush', 'blmove', 'bzpopmin', 'bzpopmax', 'bzmpop', 'blmpop', 'xread', 'xreadgroup']);

/** Times every command of `redis` by its name (Redis' fixed command set), except the waiting reads. */
export function instrumentRedis(redis: Redis, metrics: StoreMetrics): Redis {
  const send = redis.sendCommand.bind(redis);
  // a command passes through sendCommand again when the offline queue is flushed: observe it once
  const observed = new WeakSet<Command>();
  redis.sendCommand = ((command: Command, stream?: never) => {
    const result = send(command, stream);
    if (!observed.has(command) && !waitingCommands.has(command.name)) {
      observed.add(command);
      void metrics.observe('redis', command.name, command.promise);
    }
    return result;
  }) as Redis['sendCommand'];
  return redis;
}

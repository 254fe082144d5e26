import { Redis } from 'ioredis';
import type { Config } from '../lib/config.js';
import { storeDir } from './paths.js';
import { onPath } from './processes.js';
import { aptInstall, canInstallWithApt } from './system-packages.js';
import { StackError, type LaunchPlan, type Store } from './store.js';

/** Redis: Debian's redis-server with append-only persistence (streams carry durable events). */
export function createRedisStore(config: Config): Store {
  return {
    name: 'redis',
    displayUrl: config.redis.url,
    external: config.redis.external,
    // Every subgraph needs Redis (durable events), so it is never optional.
    optional: false,
    isReady: () => redisAnswers(config.redis.url),
    prepare: () => prepareRedis(config),
  };
}

async function prepareRedis(config: Config): Promise<LaunchPlan> {
  if (!(await onPath('redis-server'))) {
    // Installed even outside tests: Redis is small, and nothing runs without it.
    if (!(await canInstallWithApt())) {
      throw new StackError('redis-server not found: install it with `apt-get install redis-server` (Debian), or point REDIS_URL at a running server.');
    }
    await aptInstall(['redis-server'], 'redis-server not found');
  }
  return {
    command: 'redis-server',
    args: [
      '--bind', '127.0.0.1',
      '--port', String(config.redis.port),
      '--dir', storeDir(config, 'redis'),
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--save', '',
      '--daemonize', 'no',
      '--protected-mode', 'yes',
    ],
  };
}

/** True when a Redis server at `url` answers PING; never throws. */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

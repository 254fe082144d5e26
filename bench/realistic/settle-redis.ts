import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

const persistenceField = (info: string, name: string) => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1];

/**
 * Compacts Redis's append-only file now and waits until it is done. Loading the data set writes
 * hundreds of megabytes to it (a vector for each of 200,000 messages), after which Redis rewrites
 * the file on its own in a forked child at some moment of its choosing: seconds of CPU that
 * landed in the middle of whichever gateway ran first. Returns the seconds it waited.
 */
export async function settleRedis(redis: Redis): Promise<number> {
  const started = performance.now();
  const info = async () => (await redis.info('persistence')) as string;
  const busy = (text: string) => ['aof_rewrite_in_progress', 'aof_rewrite_scheduled', 'rdb_bgsave_in_progress'].some((name) => persistenceField(text, name) === '1');
  if (persistenceField(await info(), 'aof_enabled') === '1') {
    while (busy(await info())) await sleep(200);
    await redis.bgrewriteaof();
  }
  while (busy(await info())) await sleep(200);
  return (performance.now() - started) / 1000;
}

import type { Redis } from 'ioredis';

/**
 * The migration stages' epoch as the gateway sees it: the operations subgraph writes it to Redis
 * whenever the stages change (every replica does, so a missed write heals), and the gateway puts
 * it in every response-cache key: an answer cached from one store is never served after a stage
 * change sends reads to the other.
 *
 * An epoch is `<rank>|<details>`: the rank only grows (the sum of the stages' versions), so a
 * late answer never takes the gateway back to an older epoch.
 */
const key = (prefix: string) => `${prefix}:migration:stage-epoch`;
const channel = (prefix: string) => `${prefix}:migration:stage-epoch:changed`;

const rank = (epoch: string | null): number => Number(epoch?.split('|', 1)[0] ?? -1) || 0;

/** The newer of two epochs. */
export const newerEpoch = (current: string, candidate: string | null): string => (candidate !== null && rank(candidate) >= rank(current) ? candidate : current);

/** Sets and announces the epoch unless Redis already holds it or a newer one (atomically: replicas race). */
const publishIfNewer = `
local current = redis.call('GET', KEYS[1])
local function rank(epoch) if not epoch then return -1 end return tonumber(string.match(epoch, '^(%d+)|')) or 0 end
if current == ARGV[1] or rank(current) > rank(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('PUBLISH', KEYS[2], ARGV[1])
return 1`;

export async function publishStageEpoch(redis: Redis, prefix: string, epoch: string): Promise<void> {
  await redis.eval(publishIfNewer, 2, key(prefix), channel(prefix), epoch);
}

/** Follows the epoch: at once when it is announced, and every `pollMs` in case an announcement was missed. */
export async function followStageEpoch(redis: Redis, prefix: string, pollMs: number): Promise<{ current(): string; stop(): Promise<void> }> {
  let epoch = (await redis.get(key(prefix))) ?? '';
  const subscriber = redis.duplicate();
  await subscriber.subscribe(channel(prefix));
  subscriber.on('message', (_channel: string, message: string) => {
    epoch = newerEpoch(epoch, message);
  });
  const timer = setInterval(() => {
    redis.get(key(prefix)).then(
      (value) => {
        epoch = newerEpoch(epoch, value);
      },
      () => undefined,
    );
  }, pollMs);
  timer.unref();
  return {
    current: () => epoch,
    stop: async () => {
      clearInterval(timer);
      subscriber.disconnect();
    },
  };
}

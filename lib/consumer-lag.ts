import type { Redis } from 'ioredis';
import { Gauge } from 'prom-client';
import type { MetricsTarget } from './store-metrics.js';

interface Watched {
  redis: Redis;
  stream: string;
  group: string;
}

/** Whether stream entry id `a` comes after `b` (ids are `<ms>-<seq>`). */
function isAfter(a: string, b: string): boolean {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map(BigInt);
  const [bMs = 0n, bSeq = 0n] = b.split('-').map(BigInt);
  return aMs > bMs || (aMs === bMs && aSeq > bSeq);
}

/**
 * Entries not yet delivered to the group plus those delivered but not acknowledged. Redis's own
 * count of undelivered entries derives from a read counter that can drift (a bench run's groups
 * reported 7,183 with nothing left to deliver), so a group that was given the stream's last
 * entry has none undelivered, whatever that count says.
 */
export async function consumerLag(redis: Redis, stream: string, group: string): Promise<{ lag: number; pending: number }> {
  const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
  for (const fields of groups) {
    const info = new Map<string, unknown>();
    for (let index = 0; index < fields.length; index += 2) info.set(String(fields[index]), fields[index + 1]);
    if (info.get('name') !== group) continue;
    const pending = Number(info.get('pending') ?? 0);
    const [last] = await redis.xrevrange(stream, '+', '-', 'COUNT', 1);
    const caughtUp = !last || !isAfter(last[0], String(info.get('last-delivered-id') ?? '0-0'));
    return { lag: caughtUp ? 0 : Number(info.get('lag') ?? 0), pending };
  }
  return { lag: Number(await redis.xlen(stream)), pending: 0 };
}

const watchedByRegistry = new WeakMap<MetricsTarget['registry'], Map<string, Watched>>();

/**
 * `<service>_event_consumer_lag{stream, group}`: the events of a stream its consumer group has not
 * processed yet (not delivered, or delivered and not acknowledged), read from Redis at each scrape.
 * A series stays for the life of the registry (the service): after a consumer stops, its lag is what piles up.
 */
export function watchConsumerLag(target: MetricsTarget, redis: Redis, stream: string, group: string): void {
  const watched = watchedByRegistry.get(target.registry) ?? registerLagGauge(target);
  watched.set(`${stream}\u0000${group}`, { redis, stream, group });
}

/** The registry's one lag gauge, reading every consumer group watched in it. */
function registerLagGauge(target: MetricsTarget): Map<string, Watched> {
  const entries = new Map<string, Watched>();
  watchedByRegistry.set(target.registry, entries);
  new Gauge({
    name: `${target.prefix}_event_consumer_lag`,
    help: 'Events of a stream not yet processed by its consumer group (undelivered + unacknowledged)',
    labelNames: ['stream', 'group'] as const,
    registers: [target.registry],
    async collect() {
      this.reset();
      await Promise.all(
        [...entries.values()].map(async (entry) => {
          // Redis down: the series is absent from this scrape rather than a made-up value
          const lag = await consumerLag(entry.redis, entry.stream, entry.group).catch(() => undefined);
          if (lag) this.set({ stream: entry.stream, group: entry.group }, lag.lag + lag.pending);
        }),
      );
    },
  });
  return entries;
}

import type { Redis } from 'ioredis';
import { Gauge } from 'prom-client';
import type { MetricsTarget } from './store-metrics.js';

interface Watched {
  redis: Redis;
  stream: string;
  group: string;
}

/** Entries not yet delivered to the group plus those delivered but not acknowledged. */
export async function consumerLag(redis: Redis, stream: string, group: string): Promise<{ lag: number; pending: number }> {
  const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
  for (const fields of groups) {
    const info = new Map<string, unknown>();
    for (let index = 0; index < fields.length; index += 2) info.set(String(fields[index]), fields[index + 1]);
    if (info.get('name') === group) return { lag: Number(info.get('lag') ?? 0), pending: Number(info.get('pending') ?? 0) };
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

import { Counter } from 'prom-client';
import type { MetricsTarget } from './store-metrics.js';

export type CacheLookup = (result: 'hit' | 'miss', count?: number) => void;

const countersByRegistry = new WeakMap<MetricsTarget['registry'], Counter<'cache' | 'result'>>();

/** Counts one cache's lookups in `<service>_cache_lookups_total{cache, result}` (hit ratio = hit / all). */
export function cacheLookupCounter(target: MetricsTarget, cache: string): CacheLookup {
  let counter = countersByRegistry.get(target.registry);
  if (!counter) {
    counter = new Counter({
      name: `${target.prefix}_cache_lookups_total`,
      help: 'Cache lookups by cache and result (hit, miss)',
      labelNames: ['cache', 'result'] as const,
      registers: [target.registry],
    });
    countersByRegistry.set(target.registry, counter);
  }
  const lookups = counter;
  return (result, count = 1) => lookups.inc({ cache, result }, count);
}

import { collectDefaultMetrics, type Registry } from 'prom-client';

/**
 * prom-client's process metrics (CPU, memory, event-loop lag, GC) as `<prefix>process_*` and
 * `<prefix>nodejs_*`. The event loop's lag is sampled every 100 ms: at prom-client's default of
 * 10 ms its timer alone kept each idle process 15 to 20 ms of CPU a second busier.
 */
export function collectProcessMetrics(registry: Registry, prefix: string): void {
  collectDefaultMetrics({ register: registry, prefix, eventLoopMonitoringPrecision: 100 });
}

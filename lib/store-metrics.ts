import { Counter, Histogram, type Registry } from 'prom-client';

export type StoreKind = 'postgres' | 'neo4j' | 'qdrant' | 'redis';

/** Where a service's metrics go: its registry, and the prefix (the service name) of every metric it exports. */
export interface MetricsTarget {
  registry: Registry;
  prefix: string;
}

/** Times the calls a service makes to its stores; each store's client module decides what an operation is. */
export interface StoreMetrics extends MetricsTarget {
  /** Observes one call: its duration, and an error when it rejects. `operation` must come from a small fixed set. */
  observe<T>(store: StoreKind, operation: string, call: Promise<T>): Promise<T>;
}

/**
 * `<service>_store_request_duration_seconds{store, operation}` and `<service>_store_errors_total`.
 * Labels are bounded: the store, and an operation name the client module maps from a fixed set.
 */
export function createStoreMetrics(registry: Registry, prefix: string): StoreMetrics {
  const registers = [registry];
  const duration = new Histogram({
    name: `${prefix}_store_request_duration_seconds`,
    help: 'Time of each call to a store, by store and operation',
    labelNames: ['store', 'operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const errors = new Counter({
    name: `${prefix}_store_errors_total`,
    help: 'Calls to a store that failed (connection lost, timeout, rejected), by store and operation',
    labelNames: ['store', 'operation'] as const,
    registers,
  });
  return {
    registry,
    prefix,
    observe(store, operation, call) {
      const stop = duration.startTimer({ store, operation });
      call.then(
        () => stop(),
        () => {
          stop();
          errors.inc({ store, operation });
        },
      );
      return call;
    },
  };
}

import type { Tracer } from '@opentelemetry/api';
import { Counter, Histogram, type Registry } from 'prom-client';
import { endSpan, startRequestClientSpan } from './tracing.js';

export type StoreKind = 'postgres' | 'neo4j' | 'qdrant' | 'redis';

/** Where a service's metrics go: its registry, and the prefix (the service name) of every metric it exports. */
export interface MetricsTarget {
  registry: Registry;
  prefix: string;
}

/** Times the calls a service makes to its stores; each store's client module decides what an operation is. */
export interface StoreMetrics extends MetricsTarget {
  /** Observes one call: its duration, an error when it rejects, and a span when a traced request made it. `operation` must come from a small fixed set. */
  observe<T>(store: StoreKind, operation: string, call: Promise<T>): Promise<T>;
}

/**
 * `<service>_store_request_duration_seconds{store, operation}` and `<service>_store_errors_total`,
 * and a client span `<store> <operation>` in the trace of the request that made the call.
 * Labels are bounded: the store, and an operation name the client module maps from a fixed set.
 */
export function createStoreMetrics(registry: Registry, prefix: string, tracer: Tracer): StoreMetrics {
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
      const span = startRequestClientSpan(tracer, `${store} ${operation}`, { 'db.system.name': store, 'db.operation.name': operation });
      call.then(
        () => {
          stop();
          if (span) endSpan(span);
        },
        (error: unknown) => {
          stop();
          errors.inc({ store, operation });
          if (span) endSpan(span, error);
        },
      );
      return call;
    },
  };
}

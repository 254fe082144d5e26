import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { collectProcessMetrics } from '../lib/process-metrics.js';

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/** One registry per gateway instance, so tests can run several side by side. */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectProcessMetrics(registry, 'gateway_');
  const registers = [registry];
  return {
    registry,
    subgraphFetch: new Histogram({
      name: 'gateway_subgraph_fetch_duration_seconds',
      help: 'Latency of fetches to each subgraph',
      labelNames: ['subgraph'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    }),
    subgraphErrors: new Counter({
      name: 'gateway_subgraph_errors_total',
      help: 'Failed fetches to each subgraph, by reason (timeout, unreachable, http)',
      labelNames: ['subgraph', 'reason'] as const,
      registers,
    }),
    subgraphBatchedOperations: new Counter({
      name: 'gateway_subgraph_batched_operations_total',
      help: 'Operations sent to each subgraph inside a batch (with the others of one query fetched from it at the same time)',
      labelNames: ['subgraph'] as const,
      registers,
    }),
    cacheLookups: new Counter({
      name: 'gateway_response_cache_lookups_total',
      help: 'Response cache lookups by result (hit, miss); hit ratio = hit / sum',
      labelNames: ['result'] as const,
      registers,
    }),
    rateLimited: new Counter({ name: 'gateway_rate_limited_total', help: 'Requests rejected with 429', registers }),
    subscriptionsActive: new Gauge({ name: 'gateway_subscriptions_active', help: 'Subscriptions this gateway serves now, by transport (ws, sse)', labelNames: ['transport'] as const, registers }),
    subscriptionEvents: new Counter({
      name: 'gateway_subscription_events_total',
      help: 'Session events resolved for subscribers, by outcome (sent; skipped: the record is not there for the subscriber; ended: refused, which ends the subscription)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    subscriptionDelivery: new Histogram({
      name: 'gateway_subscription_delivery_seconds',
      help: 'From an event entering its stream to its result being ready for the subscriber (resolved through the supergraph)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5],
      registers,
    }),
  };
}

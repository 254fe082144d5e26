import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/** One registry per gateway instance, so tests can run several side by side. */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gateway_' });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'gateway_requests_total',
      help: 'GraphQL operations served, by operation name and outcome',
      labelNames: ['operation', 'outcome'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'gateway_request_duration_seconds',
      help: 'Time from request to response, by operation name',
      labelNames: ['operation'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
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
    cacheLookups: new Counter({
      name: 'gateway_response_cache_lookups_total',
      help: 'Response cache lookups by result (hit, miss); hit ratio = hit / sum',
      labelNames: ['result'] as const,
      registers,
    }),
    rateLimited: new Counter({ name: 'gateway_rate_limited_total', help: 'Requests rejected with 429', registers }),
  };
}

/** Counts and times every operation under its name (`anonymous` without one). */
export function createMetricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const stopTimer = metrics.duration.startTimer();
      return {
        async willSendResponse({ request, response, operationName }) {
          const operation = operationName ?? request.operationName ?? 'anonymous';
          const hasErrors = response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
          stopTimer({ operation });
          metrics.requests.inc({ operation, outcome: hasErrors ? 'error' : 'ok' });
        },
      };
    },
  };
}

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Histogram, type Registry } from 'prom-client';
import { createOperationLabeler } from './operation-label.js';

/** Counts and times every GraphQL operation of a service under a bounded operation label. */
export function createRequestMetricsPlugin<TContext extends BaseContext>(registry: Registry, prefix: string): ApolloServerPlugin<TContext> {
  const label = createOperationLabeler();
  const registers = [registry];
  const requests = new Counter({
    name: `${prefix}_requests_total`,
    help: 'GraphQL operations served, by operation name (bounded) and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers,
  });
  const duration = new Histogram({
    name: `${prefix}_request_duration_seconds`,
    help: 'Time from request to response, by operation name (bounded)',
    labelNames: ['operation'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  return {
    async requestDidStart() {
      const stopTimer = duration.startTimer();
      return {
        async willSendResponse({ response, operationName }) {
          const operation = label(operationName);
          const hasErrors = response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
          stopTimer({ operation });
          requests.inc({ operation, outcome: hasErrors ? 'error' : 'ok' });
        },
      };
    },
  };
}

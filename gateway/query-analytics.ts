import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Redis } from 'ioredis';
import { publish } from '../lib/typed-events.js';
import type { GatewayContext } from './context.js';

/**
 * Publishes one `query.completed` event per operation (lib/event-contracts; operations stores it
 * in query_analytics) after the response is sent: the publish is not awaited by the request, so
 * analytics never slows a response; a failed publish is only logged.
 */
export function createQueryAnalyticsPlugin(redis: Redis, streamPrefix: string): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ queryHash, operationName, response, contextValue }) {
          if (!queryHash) return;
          publish(redis, streamPrefix, 'query.completed', `query:${contextValue.requestId}:${randomUUID()}`, {
            queryHash,
            operationName: operationName ?? null,
            durationMs: Math.round((performance.now() - started) * 100) / 100,
            cacheHit: response.http.headers.get('x-cache') === 'HIT',
            subgraphs: [...contextValue.subgraphsTouched].sort(),
            patientId: contextValue.viewer.patientId ?? null,
            hasErrors: response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0,
          }).catch((error: unknown) => contextValue.logger.warn({ err: error }, 'query analytics event not published'));
        },
      };
    },
  };
}

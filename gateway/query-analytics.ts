import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Redis } from 'ioredis';
import { publishEvent } from '../lib/events.js';
import type { GatewayContext } from './context.js';

/** Payload of `query.completed` on `<prefix>:analytics` (docs/federation-contract.md); operations stores it in query_analytics. */
export interface QueryCompletedPayload {
  queryHash: string;
  operationName: string | null;
  durationMs: number;
  cacheHit: boolean;
  subgraphs: string[];
  patientId: string | null;
  hasErrors: boolean;
}

/**
 * Publishes one `query.completed` event per operation after the response is sent: the publish is
 * not awaited by the request, so analytics never slows a response; a failed publish is only logged.
 */
export function createQueryAnalyticsPlugin(redis: Redis, stream: string): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ queryHash, operationName, response, contextValue }) {
          if (!queryHash) return;
          const payload: QueryCompletedPayload = {
            queryHash,
            operationName: operationName ?? null,
            durationMs: Math.round((performance.now() - started) * 100) / 100,
            cacheHit: response.http.headers.get('x-cache') === 'HIT',
            subgraphs: [...contextValue.subgraphsTouched].sort(),
            patientId: contextValue.viewer.patientId ?? null,
            hasErrors: response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0,
          };
          publishEvent(redis, stream, { id: `query:${contextValue.requestId}:${randomUUID()}`, type: 'query.completed', payload }).catch((error: unknown) =>
            contextValue.logger.warn({ err: error }, 'query analytics event not published'),
          );
        },
      };
    },
  };
}

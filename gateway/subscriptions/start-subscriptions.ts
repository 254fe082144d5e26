import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import type { FormattedExecutionResult, GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import type { AddressGuard } from '../../lib/address-guard.js';
import type { CachedVerifier } from '../../lib/cached-verifier.js';
import type { Config } from '../../lib/config.js';
import type { Logger } from '../../lib/logger.js';
import type { RateLimiter } from '../../lib/rate-limiter.js';
import type { GatewayContext } from '../context.js';
import type { GatewayMetrics } from '../metrics.js';
import { createEventStreamTransport, type EventStreamTransport } from './event-stream-transport.js';
import { createIdentitySlots } from './identity-slots.js';
import { startSessionEventFeed } from './session-event-feed.js';
import { createSubscriptionService, type RunOperation } from './subscription-service.js';
import { createWebSocketTransport, type WebSocketTransport } from './websocket-transport.js';

/** The gateway's live subscriptions: the session event feed, the service over it, and its two transports. */
export interface GatewaySubscriptions {
  websocket: WebSocketTransport;
  eventStream: EventStreamTransport;
  /** Ends every subscriber's connection (the gateway begins to stop): they reconnect elsewhere with their last event id. */
  closeConnections(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSubscriptions(deps: {
  apollo: ApolloServer<GatewayContext>;
  redis: Redis;
  config: Config;
  /** The gateway's Redis key prefix. */
  prefix: string;
  logger: Logger;
  metrics: GatewayMetrics;
  schema: () => GraphQLSchema | undefined;
  verify: CachedVerifier;
  addressGuard: AddressGuard;
  rateLimiter: RateLimiter;
}): Promise<GatewaySubscriptions> {
  const { apollo, config, logger } = deps;
  const settings = config.gateway.subscriptions;
  // an operation of a subscriber runs through the gateway's own pipeline (limits, plugins, subgraph fetches with the subscriber's token)
  const run: RunOperation = async (request, subscriber, options) => {
    const response = await apollo.executeOperation(
      { query: request.query, variables: request.variables ?? {}, ...(request.operationName ? { operationName: request.operationName } : {}) },
      {
        contextValue: {
          viewer: subscriber.viewer,
          authorization: subscriber.authorization,
          requestId: randomUUID(),
          logger: logger.child({ sub: subscriber.viewer.sub }),
          subgraphsTouched: new Set(),
          fresh: options.fresh,
        },
      },
    );
    if (response.body.kind !== 'single') throw new Error('an incremental result was returned to a subscriber');
    return response.body.singleResult as FormattedExecutionResult;
  };
  const feed = await startSessionEventFeed(deps.redis, { streamPrefix: config.eventStreamPrefix, logger });
  const slots = createIdentitySlots(deps.redis, { prefix: deps.prefix, perIdentity: settings.perIdentity });
  const service = createSubscriptionService({ feed, slots, run, metrics: deps.metrics, logger, perGateway: settings.perGateway, replayLimit: settings.replayLimit });
  const common = { service, run, schema: deps.schema, logger };
  const websocket = createWebSocketTransport({ ...common, limits: config.limits, verify: deps.verify, addressGuard: deps.addressGuard, rateLimiter: deps.rateLimiter });
  const eventStream = createEventStreamTransport({ ...common, limits: config.limits });
  return {
    websocket,
    eventStream,
    closeConnections: async () => {
      eventStream.close();
      await websocket.close();
    },
    stop: () => service.stop(),
  };
}

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecutionArgs, ExecutionResult, FormattedExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { CloseCode, handleProtocols } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressGuard } from '../../lib/address-guard.js';
import type { CachedVerifier } from '../../lib/cached-verifier.js';
import type { QueryLimitSettings } from '../../lib/config.js';
import type { Logger } from '../../lib/logger.js';
import type { RateLimiter } from '../../lib/rate-limiter.js';
import { asRefusal } from './refusal.js';
import { planOperation, type OperationRequest } from './subscription-plan.js';
import type { LiveSubscription, RunOperation, Subscriber, SubscriptionService } from './subscription-service.js';

/**
 * GraphQL over WebSocket, the `graphql-transport-ws` protocol (graphql-ws), on the GraphQL path
 * of the gateway's port. The token comes in the `connection_init` payload (`authorization` or
 * `Authorization`) or the upgrade request's `Authorization` header, and is checked when the
 * connection opens: without a valid one the socket closes with 4401; when it expires, the
 * connection closes with 4401 "Token expired". Every operation is charged to the caller's rate
 * limit. Each result carries `extensions.eventId`; a client that reconnects sends the last one
 * as `extensions.lastEventId` of its `subscribe` to be sent what it missed.
 */

export interface WebSocketTransport {
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every connection with 1001 (the gateway stops): clients reconnect, elsewhere. */
  close(): Promise<void>;
}

interface ConnectionState {
  subscriber?: Subscriber;
  expiry?: NodeJS.Timeout;
}

/** What onSubscribe hands to execute (a query or mutation) or subscribe (a subscription). */
type PlannedWork = { single: OperationRequest; subscriber: Subscriber } | { live: LiveSubscription };

/** The close reason is a WebSocket frame's: at most 123 bytes. */
const reason = (text: string) => text.slice(0, 120);

function authorizationOf(params: Readonly<Record<string, unknown>> | undefined, request: IncomingMessage): string | undefined {
  const given = params?.authorization ?? params?.Authorization;
  return typeof given === 'string' ? given : request.headers.authorization;
}

/**
 * Results are formatted already (their errors plain objects, as Apollo formats them): graphql-ws
 * only serializes what it is given, so they go out as they are.
 */
const asSent = (result: FormattedExecutionResult) => result as ExecutionResult;

/** The subscription's results as graphql-ws reads them (an async generator: it returns it when the client completes). */
function resultsOf(live: LiveSubscription): AsyncGenerator<ExecutionResult, undefined> {
  const results: AsyncGenerator<ExecutionResult, undefined> = {
    async next() {
      const next = await live.next();
      return next.done ? next : { value: asSent(next.value.result), done: false };
    },
    throw: async (error: unknown) => {
      await live.return();
      throw error;
    },
    return: () => live.return(),
    [Symbol.asyncIterator]: () => results,
  };
  return results;
}

export function createWebSocketTransport(deps: {
  service: SubscriptionService;
  run: RunOperation;
  schema: () => GraphQLSchema | undefined;
  limits: QueryLimitSettings & { maxBodyBytes: number };
  verify: CachedVerifier;
  addressGuard: AddressGuard;
  rateLimiter: RateLimiter;
  logger: Logger;
}): WebSocketTransport {
  const server = new WebSocketServer({ noServer: true, maxPayload: deps.limits.maxBodyBytes, handleProtocols: (protocols) => handleProtocols(protocols) });
  const states = new WeakMap<WebSocket, ConnectionState>();
  const stateOf = (socket: WebSocket): ConnectionState => {
    const known = states.get(socket);
    if (known) return known;
    const state: ConnectionState = {};
    states.set(socket, state);
    return state;
  };

  const disposable = useServer<Record<string, unknown> | undefined>(
    {
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        const address = request.socket.remoteAddress ?? 'unknown';
        const authorization = authorizationOf(ctx.connectionParams, request);
        const blockedFor = deps.addressGuard.blockedFor(address);
        if (blockedFor !== undefined && !deps.verify.remembers(authorization)) {
          socket.close(CloseCode.TooManyInitialisationRequests, reason(`Too many requests from this address: retry in ${blockedFor} s`));
          return false;
        }
        let subscriber: Subscriber | undefined;
        try {
          const viewer = await deps.verify(authorization);
          if (viewer) subscriber = { viewer, authorization: authorization ?? '' };
        } catch (error) {
          deps.addressGuard.charge(address);
          socket.close(CloseCode.Unauthorized, reason(`Unauthorized: ${(error as Error).message}`));
          return false;
        }
        if (!subscriber) {
          deps.addressGuard.charge(address);
          socket.close(CloseCode.Unauthorized, 'Unauthorized: a bearer token is required in the connection_init payload (authorization) or the Authorization header');
          return false;
        }
        const state = stateOf(socket);
        state.subscriber = subscriber;
        const exp = subscriber.viewer.claims.exp;
        if (typeof exp === 'number') state.expiry = setTimeout(() => socket.close(CloseCode.Unauthorized, 'Token expired: connect again with a new one'), Math.max(0, exp * 1000 - Date.now()));
        return true;
      },
      onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const subscriber = stateOf(ctx.extra.socket).subscriber as Subscriber;
        try {
          await deps.rateLimiter.charge(subscriber.viewer.sub);
          const schema = deps.schema();
          if (!schema) throw new Error('the gateway has no supergraph yet');
          const request: OperationRequest = { query: payload.query, variables: payload.variables ?? null, operationName: payload.operationName ?? null };
          const planned = planOperation(schema, request, deps.limits);
          const args = { schema, document: planned.document, variableValues: payload.variables ?? {}, operationName: payload.operationName ?? undefined };
          if ('kind' in planned) return { ...args, contextValue: { single: planned.request, subscriber } satisfies PlannedWork };
          const lastEventId = typeof payload.extensions?.lastEventId === 'string' ? payload.extensions.lastEventId : undefined;
          const live = await deps.service.open(subscriber, planned, { lastEventId, transport: 'ws' });
          return { ...args, contextValue: { live } satisfies PlannedWork };
        } catch (error) {
          return [asRefusal(error, deps.logger)];
        }
      },
      execute: async (args) => {
        const work = args.contextValue as PlannedWork;
        if (!('single' in work)) throw new Error('a subscription was sent to execute');
        return asSent(await deps.run(work.single, work.subscriber, { fresh: false }));
      },
      subscribe: (args) => {
        const work = args.contextValue as PlannedWork;
        if (!('live' in work)) throw new Error('a single operation was sent to subscribe');
        return resultsOf(work.live);
      },
      onClose: (ctx) => {
        clearTimeout(stateOf(ctx.extra.socket).expiry);
      },
    },
    server,
  );

  return {
    upgrade(req, socket, head) {
      server.handleUpgrade(req, socket, head, (client) => server.emit('connection', client, req));
    },
    async close() {
      for (const client of server.clients) client.close(1001, 'The gateway is stopping: reconnect');
      await disposable.dispose();
    },
  };
}

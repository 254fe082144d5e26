import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { AdmittedRequest } from '../../lib/admission.js';
import type { QueryLimitSettings } from '../../lib/config.js';
import { AppError, unauthenticated } from '../../lib/errors.js';
import { sendJson, type AdmittedBody } from '../../lib/http-server.js';
import type { Logger } from '../../lib/logger.js';
import { asRefusal, formatRefusal, refusalStatus } from './refusal.js';
import { planOperation, type OperationRequest } from './subscription-plan.js';
import type { LiveSubscription, RunOperation, Subscriber, SubscriptionService } from './subscription-service.js';

/**
 * GraphQL over Server-Sent Events, "distinct connections" mode: one request (GET with the
 * operation in the query string, or POST with a JSON body; `Accept: text/event-stream`) is one
 * operation. A subscription's results come as `next` events whose `id` is the stream entry they
 * answer, so a client (EventSource does it by itself) reconnects with `Last-Event-ID` and is sent
 * what it missed; a query or mutation is one `next`. `complete` ends the operation. A refusal
 * before the stream starts is a plain JSON response with its status.
 */

export interface EventStreamTransport {
  handle(req: IncomingMessage, res: ServerResponse, request: AdmittedBody<AdmittedRequest>): Promise<void>;
  /** Ends every stream without `complete` (the gateway stops): clients reconnect, elsewhere, with their last event id. */
  close(): void;
}

const keepAliveMs = 15_000;

function readJsonParameter(params: URLSearchParams, name: string): Record<string, unknown> | undefined {
  const text = params.get(name);
  if (text === null || text === '') return undefined;
  const value: unknown = JSON.parse(text);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${name} must be a JSON object`);
  return value as Record<string, unknown>;
}

/** The operation and its extensions, from the query string (GET) or the JSON body (POST). */
function readOperation(request: AdmittedBody<AdmittedRequest>): OperationRequest & { extensions?: Record<string, unknown> | undefined } {
  try {
    if (request.method === 'GET') {
      const params = new URLSearchParams(request.search);
      return { query: params.get('query') ?? '', variables: readJsonParameter(params, 'variables') ?? null, operationName: params.get('operationName'), extensions: readJsonParameter(params, 'extensions') };
    }
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('the body must be a JSON object with a query');
    const objectOrNull = (value: unknown, name: string) => {
      if (value === undefined || value === null) return null;
      if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${name} must be an object`);
      return value as Record<string, unknown>;
    };
    return {
      query: typeof body.query === 'string' ? body.query : '',
      variables: objectOrNull(body.variables, 'variables'),
      operationName: typeof body.operationName === 'string' ? body.operationName : null,
      extensions: objectOrNull(body.extensions, 'extensions') ?? undefined,
    };
  } catch (error) {
    throw new AppError('BAD_USER_INPUT', `The request is not a GraphQL request: ${(error as Error).message}`);
  }
}

export function createEventStreamTransport(deps: {
  service: SubscriptionService;
  run: RunOperation;
  schema: () => GraphQLSchema | undefined;
  limits: QueryLimitSettings;
  logger: Logger;
}): EventStreamTransport {
  const open = new Set<ServerResponse>();

  function start(res: ServerResponse): void {
    res.statusCode = 200;
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('connection', 'keep-alive');
    // proxies that buffer responses would hold events back
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
  }

  /** Writes one event; waits while the client reads slowly (results queue up in the service meanwhile). */
  async function send(res: ServerResponse, event: 'next' | 'complete', data: unknown, id?: string): Promise<void> {
    if (res.writableEnded || res.destroyed) return;
    const text = `event: ${event}\n${id ? `id: ${id}\n` : ''}data: ${data === undefined ? '' : JSON.stringify(data)}\n\n`;
    if (!res.write(text)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
  }

  async function stream(res: ServerResponse, subscriber: Subscriber, live: LiveSubscription): Promise<void> {
    const keepAlive = setInterval(() => res.write(':\n\n'), keepAliveMs);
    // the token's end is the subscription's: it is told why, then the operation completes
    const expiresAt = typeof subscriber.viewer.claims.exp === 'number' ? subscriber.viewer.claims.exp * 1000 : undefined;
    let expired = false;
    const expiry = expiresAt === undefined ? undefined : setTimeout(() => {
      expired = true;
      void live.return();
    }, Math.max(0, expiresAt - Date.now()));
    res.once('close', () => void live.return());
    try {
      for await (const { eventId, result } of live) await send(res, 'next', result, eventId);
      if (expired) await send(res, 'next', { errors: [formatRefusal(unauthenticated('The token expired: subscribe again with a new one'))] });
      if (open.has(res)) await send(res, 'complete', undefined);
    } finally {
      clearInterval(keepAlive);
      clearTimeout(expiry);
    }
  }

  return {
    async handle(req, res, request) {
      const subscriber: Subscriber = { viewer: request.admission.viewer, authorization: req.headers.authorization ?? '' };
      let live: LiveSubscription | undefined;
      let single: OperationRequest | undefined;
      try {
        const operation = readOperation(request);
        const schema = deps.schema();
        if (!schema) throw new AppError('UNAVAILABLE', 'The gateway has no supergraph yet: try again');
        const planned = planOperation(schema, operation, deps.limits);
        if ('kind' in planned) single = planned.request;
        else {
          const header = req.headers['last-event-id'];
          const lastEventId = typeof header === 'string' && header !== '' ? header : typeof operation.extensions?.lastEventId === 'string' ? operation.extensions.lastEventId : undefined;
          live = await deps.service.open(subscriber, planned, { lastEventId, transport: 'sse' });
        }
      } catch (error) {
        const refusal = asRefusal(error, deps.logger);
        return sendJson(res, refusalStatus(refusal), { errors: [formatRefusal(refusal)] });
      }
      open.add(res);
      try {
        start(res);
        if (live) await stream(res, subscriber, live);
        else if (single) {
          await send(res, 'next', await deps.run(single, subscriber, { fresh: false }));
          await send(res, 'complete', undefined);
        }
      } finally {
        open.delete(res);
        res.end();
      }
    },
    close() {
      for (const res of [...open]) {
        open.delete(res);
        res.end();
      }
    },
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { trace, type Tracer } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import { checkDeclaredOperations } from './batch-operations.js';
import { createDrainGate } from './drain.js';
import { httpStatusOf } from './errors.js';
import type { Preflight } from './query-preflight.js';
import { readRequestId } from './request-id.js';
import { readBody, tooLarge, tooSlow } from './request-body.js';
import { serveInTrace } from './tracing.js';

/** A running HTTP service; every `start*` function returns one so callers (and tests) can stop it. */
export interface ServiceHandle {
  name: string;
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4002/graphql */
  url: string;
  port: number;
  /** Stops accepting, lets requests in flight finish within the grace period, then closes everything. */
  stop(): Promise<void>;
}

/** A readiness check: resolves true when the dependency answers. */
export type ReadinessCheck = () => Promise<boolean>;

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** What admission decided for one request before its body is read. */
export interface Admission {
  /** Largest body this request may send. */
  maxBodyBytes: number;
  /** The operations the body must hold: more than 1 for a batch (lib/batch-operations). */
  operations: number;
}

export interface ServeOptions<TContext extends BaseContext, TAdmission extends Admission> {
  name: string;
  apollo: ApolloServer<TContext>;
  port: number;
  /** Default 127.0.0.1; `0.0.0.0` (containers) listens on every interface. */
  host?: string;
  /**
   * Runs before the body is read: refuses the request by throwing a GraphQLError (its
   * `extensions.http` gives the status) and sets its body limit. Default: `{ maxBodyBytes: 1 MiB, operations: 1 }`.
   */
  admit?: (req: IncomingMessage) => Promise<TAdmission>;
  /** Checks the operation before Apollo parses and validates it (lib/query-preflight). */
  preflight?: Preflight;
  /** Builds the per-request context (DataLoaders live here) from what admission found. */
  context: (req: IncomingMessage, admission: TAdmission) => Promise<TContext>;
  /** Named dependency checks for /readyz. */
  readiness?: Record<string, ReadinessCheck>;
  /** Extra routes by exact path, e.g. an export endpoint. */
  routes?: Record<string, RouteHandler>;
  /** GraphQL requests served at once; more are shed with 503 and /readyz reports saturation. Default 512. */
  maxInFlight?: number;
  /** How long stop() lets requests in flight finish; default 10 000 ms. */
  graceMs?: number;
  /** How long a client may take to send its body (a slow sender holds a request open); default 10 000 ms. */
  bodyTimeoutMs?: number;
  /** The service's tracer (lib/tracing); default: the API's, which only propagates. */
  tracer?: Tracer;
  /** WebSocket upgrades of the GraphQL path (the gateway's subscriptions); without it, upgrades are refused. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /**
   * GraphQL requests that accept only `text/event-stream` (Server-Sent Events): admitted, read and
   * preflighted as any other, then handed here; they are long-lived, so they do not count against
   * `maxInFlight`. Without it, they are served as plain requests.
   */
  eventStream?: (req: IncomingMessage, res: ServerResponse, request: AdmittedBody<TAdmission>) => Promise<void>;
  /** Runs as soon as stop() begins, alongside the drain (stop background work here: it serves no request; close long-lived streams here). */
  onStopping?: () => Promise<void>;
  /** Runs after the server has stopped listening and drained, and onStopping finished (close pools here). */
  onStop?: () => Promise<void>;
}

/** A GraphQL request past admission, with its body read. */
export interface AdmittedBody<TAdmission extends Admission> {
  admission: TAdmission;
  method: string;
  search: string;
  body: unknown;
}

/** Whether a request asks for a stream of events rather than one response (GraphQL over SSE). */
function acceptsEventStream(req: IncomingMessage): boolean {
  const accept = String(req.headers.accept ?? '');
  return accept.includes('text/event-stream') && !accept.includes('application/json') && !accept.includes('application/graphql-response+json');
}

const defaultAdmission: Admission = { maxBodyBytes: 1024 * 1024, operations: 1 };
/** Scrapes (like the probes): frequent, and no caller's work, so neither traced nor given a request id. */
const scrapePath = '/metrics';

/**
 * Serves an Apollo server at /graphql beside /healthz and /readyz on Node's own HTTP server.
 * Port 0 picks a free port (tests).
 */
export async function serveGraphQL<TContext extends BaseContext, TAdmission extends Admission = Admission>(
  options: ServeOptions<TContext, TAdmission>,
): Promise<ServiceHandle> {
  const { apollo, readiness = {}, routes = {}, maxInFlight = 512, graceMs = 10_000, bodyTimeoutMs = 10_000 } = options;
  const admit = options.admit ?? (async () => defaultAdmission as TAdmission);
  const tracer = options.tracer ?? trace.getTracer(options.name);
  await apollo.start();
  const gate = createDrainGate();
  let graphqlInFlight = 0;

  const server = createServer((req, res) => {
    const done = gate.enter();
    res.once('close', done);
    if (gate.draining) res.setHeader('connection', 'close');
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy(error as Error);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseRequestUrl(req.url);
    if (!url) return sendJson(res, 400, { errors: [{ message: 'The request URL is malformed', extensions: { code: 'BAD_REQUEST' } }] });
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok', service: options.name });
    if (url.pathname === '/readyz') {
      // Saturated: at its in-flight limit, or draining to stop; a balancer should send traffic elsewhere.
      const inFlight = graphqlInFlight;
      const saturated = inFlight >= maxInFlight || gate.draining;
      const checks = await runChecks(readiness);
      const ready = !saturated && Object.values(checks).every(Boolean);
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', service: options.name, checks, ...(saturated ? { saturated, inFlight } : {}) });
    }
    const route = routes[url.pathname];
    const isGraphQL = url.pathname === '/graphql' || url.pathname === '/';
    if (!route && !isGraphQL) return sendJson(res, 404, { error: `no route ${url.pathname}` });
    if (route && url.pathname === scrapePath) return route(req, res);
    // the id given or made is written back, so admission, routes and subgraph calls all read the same one
    const requestId = readRequestId(req);
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    const eventStream = !route && options.eventStream && acceptsEventStream(req) ? options.eventStream : undefined;
    const serve = route ? () => Promise.resolve(route(req, res)) : eventStream ? () => serveEventStream(req, res, url, eventStream) : () => serveGraphQLRoute(req, res, url);
    return serveInTrace(tracer, req, res, requestId, route ? url.pathname : '/graphql', serve);
  }

  async function serveEventStream(req: IncomingMessage, res: ServerResponse, url: URL, stream: NonNullable<typeof options.eventStream>): Promise<void> {
    const request = await admitAndRead(req, res, url);
    if (request) await stream(req, res, request);
  }

  async function serveGraphQLRoute(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (graphqlInFlight >= maxInFlight) {
      res.setHeader('retry-after', '1');
      return sendJson(res, 503, { errors: [{ message: `${options.name} is at capacity; retry shortly`, extensions: { code: 'UNAVAILABLE' } }] });
    }
    graphqlInFlight += 1;
    try {
      await serveGraphQLRequest(req, res, url);
    } finally {
      graphqlInFlight -= 1;
    }
  }

  /** Admission, the body and the preflight: the request, or undefined once a refusal was sent. */
  async function admitAndRead(req: IncomingMessage, res: ServerResponse, url: URL): Promise<AdmittedBody<TAdmission> | undefined> {
    let admission: TAdmission;
    try {
      admission = await admit(req);
    } catch (error) {
      if (error instanceof GraphQLError) return void sendGraphQLError(res, error);
      throw error;
    }
    const body = await readBody(req, admission.maxBodyBytes, bodyTimeoutMs);
    if (body === tooSlow) {
      res.setHeader('connection', 'close');
      return void sendJson(res, 408, { errors: [{ message: `The request body did not arrive within ${bodyTimeoutMs} ms`, extensions: { code: 'BAD_REQUEST' } }] });
    }
    if (body === tooLarge) {
      return void sendJson(res, 413, { errors: [{ message: `Request body exceeds ${admission.maxBodyBytes} bytes`, extensions: { code: 'BAD_REQUEST' } }] });
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const refusal = checkDeclaredOperations(body, admission.operations) ?? options.preflight?.({ method, search: url.search, body });
    if (refusal) return void sendGraphQLError(res, refusal);
    return { admission, method, search: url.search, body };
  }

  async function serveGraphQLRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const request = await admitAndRead(req, res, url);
    if (!request) return;
    const { admission, method, body } = request;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: url.search, body },
      context: () => options.context(req, admission),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = parseRequestUrl(req.url)?.pathname;
    if (options.upgrade && !gate.draining && (path === '/graphql' || path === '/')) return options.upgrade(req, socket, head);
    socket.end(`HTTP/1.1 ${gate.draining ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  // CONNECT asks for a tunnel, which no route offers
  server.on('connect', (_req, socket) => socket.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'));
  // a client that sends its headers slowly holds a connection: bounded like a slow body
  server.headersTimeout = 20_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  let stopped: Promise<void> | undefined;
  return {
    name: options.name,
    url: `http://${host}:${port}/graphql`,
    port,
    // Once only: a second stop() waits for the first (Apollo's own stop() hangs when called twice).
    stop: () =>
      (stopped ??= (async () => {
        const stopping = options.onStopping?.();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await gate.drain(graceMs);
        server.closeAllConnections();
        await closed;
        await apollo.stop();
        await stopping;
        await options.onStop?.();
      })()),
  };
}

/** The path and query of a request target, or undefined when it is not a valid URL path. */
function parseRequestUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

async function runChecks(readiness: Record<string, ReadinessCheck>): Promise<Record<string, boolean>> {
  const entries = await Promise.all(
    Object.entries(readiness).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
  );
  return Object.fromEntries(entries);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** A request-level error as a GraphQL response: its HTTP status and headers from `extensions.http`. */
export function sendGraphQLError(res: ServerResponse, error: GraphQLError): void {
  const { http, ...extensions } = error.extensions as { http?: { status?: number; headers?: Map<string, string> } };
  for (const [key, value] of http?.headers ?? []) res.setHeader(key, value);
  sendJson(res, httpStatusOf(error) ?? 400, { errors: [{ message: error.message, extensions }] });
}

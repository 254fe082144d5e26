import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

/** A running HTTP service; every `start*` function returns one so callers (and tests) can stop it. */
export interface ServiceHandle {
  name: string;
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4002/graphql */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A readiness check: resolves true when the dependency answers. */
export type ReadinessCheck = () => Promise<boolean>;

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface ServeOptions<TContext extends BaseContext> {
  name: string;
  apollo: ApolloServer<TContext>;
  port: number;
  host?: string;
  /** Builds the per-request context (DataLoaders live here). */
  context: (req: IncomingMessage) => Promise<TContext>;
  /** Named dependency checks for /readyz. */
  readiness?: Record<string, ReadinessCheck>;
  /** Extra routes by exact path, e.g. an export endpoint. */
  routes?: Record<string, RouteHandler>;
  /** Largest accepted request body; default 1 MiB. */
  maxBodyBytes?: number;
  /** Runs after the server has stopped listening (close pools here). */
  onStop?: () => Promise<void>;
}

/**
 * Serves an Apollo server at /graphql beside /healthz and /readyz on Node's own HTTP server.
 * Port 0 picks a free port (tests).
 */
export async function serveGraphQL<TContext extends BaseContext>(options: ServeOptions<TContext>): Promise<ServiceHandle> {
  const { apollo, readiness = {}, routes = {}, maxBodyBytes = 1024 * 1024 } = options;
  await apollo.start();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy(error as Error);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok', service: options.name });
    if (url.pathname === '/readyz') {
      const checks = await runChecks(readiness);
      const ready = Object.values(checks).every(Boolean);
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', service: options.name, checks });
    }
    const route = routes[url.pathname];
    if (route) return route(req, res);
    if (url.pathname !== '/graphql' && url.pathname !== '/') return sendJson(res, 404, { error: `no route ${url.pathname}` });

    const body = await readBody(req, maxBodyBytes);
    if (body === tooLarge) return sendJson(res, 413, { errors: [{ message: `Request body exceeds ${maxBodyBytes} bytes`, extensions: { code: 'BAD_REQUEST' } }] });
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: () => options.context(req),
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    name: options.name,
    url: `http://${host}:${port}/graphql`,
    port,
    stop: async () => {
      await apollo.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await options.onStop?.();
    },
  };
}

async function runChecks(readiness: Record<string, ReadinessCheck>): Promise<Record<string, boolean>> {
  const entries = await Promise.all(
    Object.entries(readiness).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
  );
  return Object.fromEntries(entries);
}

const tooLarge = Symbol('too large');

/** Parsed JSON body (or the raw string when not JSON, for Apollo to reject), or `tooLarge`. */
async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return tooLarge;
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

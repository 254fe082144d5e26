import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpFetcher } from './http-fetcher.js';

const answer = '{"data":{}}';

describe('createHttpFetcher', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  /** A server whose `handle` sees each request with its position on its connection (1, 2, ...). */
  async function listen(handle: (req: IncomingMessage, res: ServerResponse, position: number) => void) {
    const seen = { connections: 0, requests: 0 };
    const positions = new WeakMap<object, number>();
    server = createServer((req, res) => {
      seen.requests += 1;
      const position = (positions.get(req.socket) ?? 0) + 1;
      positions.set(req.socket, position);
      handle(req, res, position);
    });
    server.on('connection', () => (seen.connections += 1));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, seen };
  }

  it('reuses one connection for requests in succession', async () => {
    const { url, seen } = await listen((_req, res) => res.end(answer));
    const fetcher = createHttpFetcher(5_000);
    for (let index = 0; index < 3; index += 1) expect(await (await fetcher(url, { method: 'POST', body: '{}' })).text()).toBe(answer);
    expect(seen).toEqual({ connections: 1, requests: 3 });
  });

  it('sends a request again on a new connection when the pooled one it went out on is closed under it', async () => {
    // the second request on a connection finds it closing, as when the server's keep-alive timeout fires
    const { url, seen } = await listen((req, res, position) => (position === 1 ? res.end(answer) : req.socket.destroy()));
    const fetcher = createHttpFetcher(5_000);
    await fetcher(url, { method: 'POST', body: '{}' });
    expect(await (await fetcher(url, { method: 'POST', body: '{}' })).text()).toBe(answer);
    expect(seen).toEqual({ connections: 2, requests: 3 });
  });

  it('does not send again a request that failed on a connection of its own', async () => {
    const { url, seen } = await listen((req) => req.socket.destroy());
    const fetcher = createHttpFetcher(5_000);
    await expect(fetcher(url, { method: 'POST', body: '{}' })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(seen.requests).toBe(1);
  });
});

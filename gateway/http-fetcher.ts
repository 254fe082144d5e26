import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';

const graphqlJson = /^application\/(graphql-response\+)?json/;

function toResponse(url: string, res: IncomingMessage, body: string): FetcherResponse {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  // A subgraph that rejects a request (401, 403 from lib/errors' AppError) still answers with a
  // GraphQL body: hand it on as a 200 so the gateway merges its errors and data, rather than
  // treating a per-field denial as an outage of the whole subgraph.
  const received = res.statusCode ?? 0;
  const isGraphQLAnswer = received >= 400 && received < 500 && graphqlJson.test(headers.get('content-type') ?? '');
  const status = isGraphQLAnswer ? 200 : received;
  const response: FetcherResponse = {
    bodyUsed: false,
    url,
    redirected: false,
    status,
    ok: status >= 200 && status < 300,
    statusText: res.statusMessage ?? '',
    headers,
    text: async () => body,
    json: async () => JSON.parse(body) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(body).buffer as ArrayBuffer,
    clone: () => response,
  };
  return response;
}

/** Times a request is sent again after the pooled connection it went out on proved closed. */
const staleConnectionRetries = 2;

/**
 * A Fetcher on Node's http module with a keep-alive pool: the gateway spends noticeably less CPU
 * per subgraph fetch than with WHATWG fetch (web streams) or make-fetch-happen. The whole exchange,
 * body included, must finish within `timeoutMs`; otherwise it fails with a TimeoutError cause.
 */
export function createHttpFetcher(timeoutMs: number): Fetcher {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const send = (url: string, init: FetcherRequestInit, signal: AbortSignal, retriesLeft: number): Promise<FetcherResponse> =>
    new Promise<FetcherResponse>((resolve, reject) => {
      const secure = url.startsWith('https:');
      const request = secure ? httpsRequest : httpRequest;
      let answered = false;
      const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: secure ? agents.https : agents.http, signal }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(toResponse(url, res, Buffer.concat(chunks).toString('utf8'))));
        res.on('error', reject);
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A subgraph closes an idle keep-alive connection on its own clock; a request written to it
        // in that instant is reset unread (Node's documented race for reused sockets). Under load
        // the gateway's event loop can lag past the margin its pool keeps, so this does happen:
        // the request goes out again, on another connection.
        if (req.reusedSocket && !answered && error.code === 'ECONNRESET' && retriesLeft > 0) resolve(send(url, init, signal, retriesLeft - 1));
        else reject(error);
      });
      req.end(init.body);
    });
  return (url, init = {}) => send(url, init, AbortSignal.timeout(timeoutMs), staleConnectionRetries);
}

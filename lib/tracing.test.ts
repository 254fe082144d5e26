import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { createTracing, serveInTrace } from './tracing.js';

/** The request id and trace of the request being served, in every log line written meanwhile (and only then). */
describe('request context in log lines', () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ logLevel: 'info' }, 'svc', new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) }));
  const { tracer } = createTracing({ tracing: { otlpEndpoint: undefined, sampleRatio: 1, exportDelayMs: 5000 } }, 'svc');
  let server: Server;
  let url = '';

  beforeAll(async () => {
    server = createServer((req, res) =>
      void serveInTrace(tracer, req, res, String(req.headers['x-request-id']), '/work', async () => {
        logger.info('before the wait');
        await new Promise((resolve) => setTimeout(resolve, 20));
        logger.child({ sub: 'someone' }).warn('after the wait');
        res.end('done');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/work`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("carries the request id and the caller's trace through awaits, and nothing outside a request", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    // two requests at once: each line must carry its own request's id
    await Promise.all([
      fetch(url, { headers: { 'x-request-id': 'first', traceparent: `00-${traceId}-00f067aa0ba902b7-01` } }).then((response) => response.text()),
      fetch(url, { headers: { 'x-request-id': 'second' } }).then((response) => response.text()),
    ]);
    logger.info('outside any request');
    const of = (requestId: string) => lines.filter((line) => line.requestId === requestId).map((line) => line.msg);
    expect(of('first')).toEqual(['before the wait', 'after the wait']);
    expect(of('second')).toEqual(['before the wait', 'after the wait']);
    // without a provider nothing is recorded, but the caller's trace is the context of the work
    expect(lines.filter((line) => line.requestId === 'first').map((line) => line.traceId)).toEqual([traceId, traceId]);
    expect(lines.find((line) => line.requestId === 'second')?.traceId).toBeUndefined();
    expect(lines.at(-1)).not.toHaveProperty('requestId');
  });
});

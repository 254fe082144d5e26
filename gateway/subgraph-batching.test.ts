import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { describe, expect, it } from 'vitest';
import { createHttpFetcher } from './http-fetcher.js';
import { batchConcurrentFetches } from './subgraph-batching.js';

const url = 'http://knowledge/graphql';

function response(status: number, body: string): FetcherResponse {
  const answer: FetcherResponse = {
    bodyUsed: false,
    url,
    redirected: false,
    status,
    ok: status < 300,
    statusText: '',
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () => body,
    json: async () => JSON.parse(body) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(body).buffer as ArrayBuffer,
    clone: () => answer,
  };
  return answer;
}

/** A subgraph stand-in: records what it is sent and answers each operation (or batch) with `answer`. */
function recordingFetcher(answer: (body: unknown, init: FetcherRequestInit) => FetcherResponse) {
  const sent: { headers: Record<string, string>; body: unknown }[] = [];
  const fetcher: Fetcher = async (_url, init = {}) => {
    const body = JSON.parse(init.body as string) as unknown;
    sent.push({ headers: init.headers as Record<string, string>, body });
    return answer(body, init);
  };
  return { fetcher, sent };
}

const echo = (body: unknown) => ({ data: { echoed: (body as { query: string }).query } });
const answerEach = (body: unknown) => response(200, JSON.stringify(Array.isArray(body) ? body.map(echo) : echo(body)));
const operation = (query: string, requestId = 'r1', authorization = 'Bearer a'): FetcherRequestInit => ({
  method: 'POST',
  headers: { authorization, 'x-request-id': requestId, 'content-type': 'application/json' },
  body: JSON.stringify({ query, variables: {} }),
});
const json = async (pending: Promise<FetcherResponse>) => (await pending).json();

describe('batchConcurrentFetches', () => {
  it("sends one request's fetches started in the same turn as one batch, and hands each its own answer", async () => {
    const { fetcher, sent } = recordingFetcher(answerEach);
    const batches: number[] = [];
    const batched = batchConcurrentFetches(fetcher, { maxOperations: 8, maxBytes: 100_000, onBatch: (operations) => batches.push(operations) });
    const answers = await Promise.all([json(batched(url, operation('{ a }'))), json(batched(url, operation('{ b }'))), json(batched(url, operation('{ c }')))]);
    expect(answers).toEqual([{ data: { echoed: '{ a }' } }, { data: { echoed: '{ b }' } }, { data: { echoed: '{ c }' } }]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers['x-graphql-operations']).toBe('3');
    expect(sent[0]?.body).toEqual([{ query: '{ a }', variables: {} }, { query: '{ b }', variables: {} }, { query: '{ c }', variables: {} }]);
    expect(batches).toEqual([3]);
  });

  it('never joins the fetches of different requests or callers, nor fetches of different turns', async () => {
    const { fetcher, sent } = recordingFetcher(answerEach);
    const batched = batchConcurrentFetches(fetcher, { maxOperations: 8, maxBytes: 100_000 });
    await Promise.all([batched(url, operation('{ a }', 'r1')), batched(url, operation('{ b }', 'r2')), batched(url, operation('{ c }', 'r1', 'Bearer other'))]);
    await batched(url, operation('{ d }'));
    await batched(url, operation('{ e }'));
    expect(sent.map((request) => [request.headers['x-graphql-operations'], request.body])).toEqual([
      [undefined, { query: '{ a }', variables: {} }],
      [undefined, { query: '{ b }', variables: {} }],
      [undefined, { query: '{ c }', variables: {} }],
      [undefined, { query: '{ d }', variables: {} }],
      [undefined, { query: '{ e }', variables: {} }],
    ]);
  });

  it('sends batches of at most maxOperations, and sends every fetch alone with 1', async () => {
    const { fetcher, sent } = recordingFetcher(answerEach);
    const batched = batchConcurrentFetches(fetcher, { maxOperations: 2, maxBytes: 100_000 });
    const answers = await Promise.all(['{ a }', '{ b }', '{ c }'].map((query) => json(batched(url, operation(query)))));
    expect(answers.map((answer) => (answer as { data: { echoed: string } }).data.echoed)).toEqual(['{ a }', '{ b }', '{ c }']);
    expect(sent.map((request) => request.headers['x-graphql-operations'])).toEqual(['2', undefined]);
    const alone = recordingFetcher(answerEach);
    const unbatched = batchConcurrentFetches(alone.fetcher, { maxOperations: 1, maxBytes: 100_000 });
    await Promise.all([unbatched(url, operation('{ a }')), unbatched(url, operation('{ b }'))]);
    expect(alone.sent).toHaveLength(2);
  });

  it("keeps a batch's body within maxBytes, so operations that fit the subgraph's body limit alone still do", async () => {
    const { fetcher, sent } = recordingFetcher(answerEach);
    const batched = batchConcurrentFetches(fetcher, { maxOperations: 8, maxBytes: 100 });
    const queries = ['{ a }', '{ b }', `{ ${'c'.repeat(60)} }`, '{ d }'];
    const answers = await Promise.all(queries.map((query) => json(batched(url, operation(query)))));
    expect(answers).toEqual(queries.map((query) => ({ data: { echoed: query } })));
    // a, b and d are 32 bytes each, c 91: [a,b] takes 68 bytes with its brackets and commas; c fits only alone, and d no longer beside it
    expect(sent.map((request) => (Array.isArray(request.body) ? request.body.length : 1))).toEqual([2, 1, 1]);
  });

  it("hands every operation of a batch the subgraph refused as a whole that refusal (401, 429, 503)", async () => {
    const refusal = '{"errors":[{"message":"Too many requests","extensions":{"code":"RATE_LIMITED"}}]}';
    const { fetcher } = recordingFetcher(() => response(429, refusal));
    const batched = batchConcurrentFetches(fetcher, { maxOperations: 8, maxBytes: 100_000 });
    const answers = await Promise.all([batched(url, operation('{ a }')), batched(url, operation('{ b }'))]);
    expect(await Promise.all(answers.map(async (answer) => [answer.status, await answer.text()]))).toEqual([
      [429, refusal],
      [429, refusal],
    ]);
  });

  it('sends each operation alone to a subgraph that refuses batches, then and from then on', async () => {
    const { fetcher, sent } = recordingFetcher((body) => (Array.isArray(body) ? response(400, 'Operation batching disabled.') : answerEach(body)));
    const batched = batchConcurrentFetches(fetcher, { maxOperations: 8, maxBytes: 100_000 });
    const first = await Promise.all([json(batched(url, operation('{ a }'))), json(batched(url, operation('{ b }')))]);
    const later = await Promise.all([json(batched(url, operation('{ c }'))), json(batched(url, operation('{ d }')))]);
    expect([...first, ...later]).toEqual(['{ a }', '{ b }', '{ c }', '{ d }'].map((query) => ({ data: { echoed: query } })));
    expect(sent.map((request) => Array.isArray(request.body))).toEqual([true, false, false, false, false]);
  });

  it('sends each operation alone, from then on, to a real Apollo server that does not take batches (an older subgraph)', async () => {
    const server = new ApolloServer({ typeDefs: 'type Query { a: String b: String }', resolvers: { Query: { a: () => 'A', b: () => 'B' } } });
    const { url: served } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
    const requests: string[] = [];
    const http = createHttpFetcher(5_000);
    const counting: Fetcher = (target, init) => {
      requests.push(String(init?.body).startsWith('[') ? 'batch' : 'one');
      return http(target, init);
    };
    const batched = batchConcurrentFetches(counting, { maxOperations: 8, maxBytes: 100_000 });
    const read = () => Promise.all([json(batched(served, operation('{ a }'))), json(batched(served, operation('{ b }')))]);
    expect(await read()).toEqual([{ data: { a: 'A' } }, { data: { b: 'B' } }]);
    expect(await read()).toEqual([{ data: { a: 'A' } }, { data: { b: 'B' } }]);
    expect(requests).toEqual(['batch', 'one', 'one', 'one', 'one']);
    await server.stop();
  });

  it('sends each operation alone again when a batch is refused as a bad request (too large for the subgraph), and keeps batching', async () => {
    const tooLarge = '{"errors":[{"message":"Request body exceeds 100 bytes","extensions":{"code":"BAD_REQUEST"}}]}';
    const { fetcher, sent } = recordingFetcher((body) => (Array.isArray(body) ? response(200, tooLarge) : answerEach(body)));
    const batched = batchConcurrentFetches(fetcher, { maxOperations: 8, maxBytes: 100_000 });
    for (let round = 0; round < 2; round += 1) expect(await Promise.all([json(batched(url, operation('{ a }'))), json(batched(url, operation('{ b }')))])).toEqual([{ data: { echoed: '{ a }' } }, { data: { echoed: '{ b }' } }]);
    expect(sent.map((request) => Array.isArray(request.body))).toEqual([true, false, false, true, false, false]);
  });

  it('fails every operation of a batch whose request failed', async () => {
    const batched = batchConcurrentFetches(async () => Promise.reject(new Error('connect ECONNREFUSED')), { maxOperations: 8, maxBytes: 100_000 });
    const outcomes = await Promise.allSettled([batched(url, operation('{ a }')), batched(url, operation('{ b }'))]);
    expect(outcomes.map((outcome) => outcome.status === 'rejected' && (outcome.reason as Error).message)).toEqual(['connect ECONNREFUSED', 'connect ECONNREFUSED']);
  });
});

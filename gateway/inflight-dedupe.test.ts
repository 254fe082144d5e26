import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { describe, expect, it } from 'vitest';
import { dedupeInflightQueries } from './inflight-dedupe.js';

function createCountingFetcher() {
  const calls: string[] = [];
  const release: (() => void)[] = [];
  const fetcher: Fetcher = (url, init = {}) => {
    calls.push(`${url} ${String(init.body)}`);
    return new Promise<FetcherResponse>((resolve) => {
      release.push(() => resolve({ json: async () => JSON.parse('{"data":{"n":1}}') as unknown } as FetcherResponse));
    });
  };
  return { calls, fetcher, releaseAll: () => release.splice(0).forEach((done) => done()) };
}

const query = JSON.stringify({ query: 'query Plan__operations__0 { session(id: "s1") { title } }', variables: {} });
const anonymous = JSON.stringify({ query: '{ session(id: "s1") { title } }' });
const mutation = JSON.stringify({ query: 'mutation Plan__operations__0 { renameSession(id: "s1", title: "x") { id } }' });
const as = (token: string, body: string) => ({ method: 'POST', headers: { authorization: `Bearer ${token}` }, body });

describe('dedupeInflightQueries', () => {
  it('sends one fetch for identical queries in flight, and each caller parses its own copy', async () => {
    const { calls, fetcher, releaseAll } = createCountingFetcher();
    const dedupe = dedupeInflightQueries(fetcher);
    const answers = [dedupe('http://sg/graphql', as('a', query)), dedupe('http://sg/graphql', as('a', query)), dedupe('http://sg/graphql', as('a', anonymous)), dedupe('http://sg/graphql', as('a', anonymous))];
    expect(calls).toHaveLength(2);
    releaseAll();
    const [first, second] = await Promise.all(answers.slice(0, 2).map(async (answer) => (await answer).json()));
    expect(first).toEqual({ data: { n: 1 } });
    expect(first).not.toBe(second);
  });

  it('never shares between callers with different tokens, URLs, or once the first fetch is done', async () => {
    const { calls, fetcher, releaseAll } = createCountingFetcher();
    const dedupe = dedupeInflightQueries(fetcher);
    const pending = [dedupe('http://sg/graphql', as('a', query)), dedupe('http://sg/graphql', as('b', query)), dedupe('http://other/graphql', as('a', query))];
    expect(calls).toHaveLength(3);
    releaseAll();
    await Promise.all(pending);
    const again = dedupe('http://sg/graphql', as('a', query));
    expect(calls).toHaveLength(4);
    releaseAll();
    await again;
  });

  it('always sends mutations', async () => {
    const { calls, fetcher, releaseAll } = createCountingFetcher();
    const dedupe = dedupeInflightQueries(fetcher);
    const pending = [dedupe('http://sg/graphql', as('a', mutation)), dedupe('http://sg/graphql', as('a', mutation))];
    expect(calls).toHaveLength(2);
    releaseAll();
    await Promise.all(pending);
  });
});

import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';

// RemoteGraphQLDataSource serialises `{ query, ...rest }`: the operation text opens the body.
const queryBody = /^\{"query":"(query\b|\{)/;

function authorizationOf(init: FetcherRequestInit): string {
  const headers = init.headers as Record<string, string> | undefined;
  return headers?.authorization ?? '';
}

/**
 * Identical subgraph queries in flight at the same time (same URL, body and Authorization) share
 * one fetch; each caller still parses its own copy of the body, so no result object is shared.
 * Mutations and anything not recognisably a query always get their own fetch. The shared fetch
 * carries the first caller's request id.
 */
export function dedupeInflightQueries(fetcher: Fetcher): Fetcher {
  const inflight = new Map<string, Promise<FetcherResponse>>();
  return (url, init = {}) => {
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (body === undefined || !queryBody.test(body)) return fetcher(url, init);
    const key = `${url}\n${authorizationOf(init)}\n${body}`;
    const pending = inflight.get(key);
    if (pending) return pending;
    const started = fetcher(url, init).finally(() => inflight.delete(key));
    inflight.set(key, started);
    return started;
  };
}

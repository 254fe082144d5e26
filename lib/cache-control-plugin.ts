import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { cachePolicyOf, restrictPolicy, type CacheHint } from './cache-hints.js';

const uncacheable = 'no-store';
const cacheableHeader = /^max-age=(\d+), (public|private)$/;

/** What a Cache-Control header already set says (another operation of the same batch set it). */
function readHeader(header: string | undefined): { kind: 'none' | 'uncacheable' | 'unreadable' } | { kind: 'cacheable'; hint: CacheHint } {
  if (!header) return { kind: 'none' };
  if (header === uncacheable) return { kind: 'uncacheable' };
  const match = cacheableHeader.exec(header);
  if (!match) return { kind: 'unreadable' };
  return { kind: 'cacheable', hint: { maxAge: Number(match[1]), scope: match[2] === 'public' ? 'PUBLIC' : 'PRIVATE' } };
}

/**
 * A subgraph's Cache-Control header (which the gateway's response cache combines over a query's
 * subgraph fetches), as Apollo Server's own cache-control plugin sets it, from the policy of each
 * distinct operation worked out once (lib/cache-hints) rather than from a hook around every
 * field resolved. The operations of a batch share one header: each narrows what the others set.
 * Installed with Apollo's plugin disabled (lib/apollo-server).
 */
export function createCacheControlPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  const policies = new WeakMap<DocumentNode, Map<string, CacheHint>>();
  const policyOf = (request: { schema: Parameters<typeof cachePolicyOf>[0]; document: DocumentNode; operationName: string | null }): CacheHint => {
    let byName = policies.get(request.document);
    if (!byName) {
      byName = new Map<string, CacheHint>();
      policies.set(request.document, byName);
    }
    const name = request.operationName ?? '';
    const known = byName.get(name);
    if (known) return known;
    const computed = cachePolicyOf(request.schema, request.document, request.operationName);
    byName.set(name, computed);
    return computed;
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse(request) {
          const { response } = request;
          const existing = readHeader(response.http.headers.get('cache-control'));
          if (existing.kind === 'unreadable') return;
          const policy: CacheHint = {};
          if (request.document) {
            restrictPolicy(policy, policyOf({ schema: request.schema, document: request.document, operationName: request.operationName ?? null }));
            request.overallCachePolicy.restrict(policy);
          } else {
            policy.maxAge = 0;
          }
          if (existing.kind === 'cacheable') restrictPolicy(policy, existing.hint);
          const cacheable = policy.maxAge !== undefined && policy.maxAge > 0 && existing.kind !== 'uncacheable' && response.body.kind === 'single' && !response.body.singleResult.errors;
          response.http.headers.set('cache-control', cacheable ? `max-age=${policy.maxAge}, ${(policy.scope ?? 'PUBLIC').toLowerCase()}` : uncacheable);
        },
      };
    },
  };
}

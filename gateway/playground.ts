import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { AddressGuard } from '../lib/address-guard.js';
import { sendJson, type RouteHandler } from '../lib/http-server.js';

/** Operations analysts start from; each opens in its own tab. */
const exampleOperations = [
  `# Paste your token in Headers below: {"Authorization": "Bearer <token>"}
query LayerStats {
  layerStats { layer entities }
}`,
  `query SearchEntities($text: String = "diabetes") {
  searchEntities(text: $text, first: 10) { id name type layer relations(first: 5) { type target { name } } }
}`,
  `query SemanticSearch($text: String = "first-line treatment of type 2 diabetes") {
  semanticSearch(text: $text, k: 5) { score chunk { text document { title quality { compositeScore } } } entities { name } }
}`,
  `query FeedbackTrends {
  feedbackDailyStats(days: 30) { day total avgRating positive negative corrections }
  layerPerformance { layer avgRating queryCount negativeCount }
}`,
  `# Runs until stopped: each message posted in the session, as it is posted
subscription LiveMessages($sessionId: ID!) {
  messageAdded(sessionId: $sessionId) { id role content createdAt mentions { name type } }
}`,
];

/** The playground page: GraphiQL with its whole bundle inlined, so it works with no internet. */
export function renderPlayground(endpoint = '/graphql'): string {
  const headers = JSON.stringify({ Authorization: 'Bearer <paste a token here>' }, null, 2);
  return renderGraphiQL({
    title: 'SynapseFlow playground',
    endpoint,
    headers,
    shouldPersistHeaders: true,
    // subscriptions as GraphQL over SSE (distinct connections), which the gateway serves at the same endpoint
    subscriptionsProtocol: 'SSE',
    defaultTabs: exampleOperations.map((query) => ({ query, headers })),
  });
}

/**
 * Serves the playground page: open without a token (the token goes in its header editor), so each
 * load counts against the caller's address like any request without credentials. The page
 * (about 9 MB of bundle) is compressed once; browsers revalidate it with its ETag.
 */
export function createPlaygroundRoute(deps: { addressGuard: AddressGuard; endpoint?: string }): RouteHandler {
  const html = Buffer.from(renderPlayground(deps.endpoint));
  const gzipped = gzipSync(html);
  const etag = `"${createHash('sha256').update(html).digest('hex').slice(0, 32)}"`;
  return (req, res) => {
    const address = req.socket.remoteAddress ?? 'unknown';
    const blockedFor = deps.addressGuard.blockedFor(address);
    if (blockedFor !== undefined) {
      res.setHeader('retry-after', String(blockedFor));
      return sendJson(res, 429, { error: `Too many requests from this address: retry in ${blockedFor} s` });
    }
    deps.addressGuard.charge(address);
    res.setHeader('etag', etag);
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.setHeader('content-encoding', 'gzip');
      res.end(gzipped);
      return;
    }
    res.end(html);
  };
}

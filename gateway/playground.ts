import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { RouteHandler } from '../lib/http-server.js';

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
];

/** The playground page: GraphiQL with its whole bundle inlined, so it works with no internet. */
export function renderPlayground(endpoint = '/graphql'): string {
  const headers = JSON.stringify({ Authorization: 'Bearer <paste a token here>' }, null, 2);
  return renderGraphiQL({
    title: 'SynapseFlow playground',
    endpoint,
    headers,
    shouldPersistHeaders: true,
    defaultTabs: exampleOperations.map((query) => ({ query, headers })),
  });
}

/** Serves the playground page; it stays open without a token (the token goes in its header editor). */
export function createPlaygroundRoute(endpoint?: string): RouteHandler {
  const html = renderPlayground(endpoint);
  return (_req, res) => {
    res.statusCode = 200;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(html);
  };
}

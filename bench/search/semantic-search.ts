import { performance } from 'node:perf_hooks';
import { signDevToken } from '../../lib/auth.js';
import { loadConfig } from '../../lib/config.js';
import { requestGraphQL } from '../../lib/graphql-client.js';
import { createRedis } from '../../lib/redis.js';
import { queryCacheKey } from '../../subgraphs/search/embedder/query-embedder.js';
import { createUseEmbedder } from '../../subgraphs/search/embedder/use-embedder.js';
import { startSearch } from '../../subgraphs/search/server.js';
import { createChunkStore } from '../../subgraphs/search/store/chunk-store.js';
import { markChunksChanged } from '../../subgraphs/search/store/passage-memo.js';
import { startGateway } from '../../gateway/server.js';
import { createCollectionNames, createQdrantClient } from '../../subgraphs/search/store/qdrant.js';
import { fillChunkPoints } from './chunk-points.js';

/**
 * semanticSearch (k=10, one filter: layer) over 100,000 chunk points, measured end to end through
 * the gateway (its response cache off, so every request reaches the search subgraph): validation,
 * query embedding (offline USE), the hybrid Qdrant query (dense and lexical candidates, fused),
 * boilerplate ranking. Bulk points have synthetic unit vectors and passages of words drawn from a
 * medical vocabulary (seeded, so runs are comparable); queries are real texts embedded by the
 * model. Cold = every text new (the model runs); warm = the same texts again (vector from Redis).
 * The bench collections (prefix `bench_hybrid_`) are kept between runs and filled only when short.
 *
 *   npm run bench:search [-- --points 100000 --queries 200]
 */
const readFlag = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const totalPoints = readFlag('points', 100_000);
const queryCount = readFlag('queries', 200);
const layers = ['PERCEPTION', 'SEMANTIC', 'REASONING', 'APPLICATION'];

// rate limits out of the way: a second run within their window would be refused
const config = loadConfig({ ...process.env, QDRANT_COLLECTION_PREFIX: 'bench_hybrid_', EVENT_STREAM_PREFIX: 'bench-search', LOG_LEVEL: 'warn', GATEWAY_RATE_LIMIT: '1000000', SUBGRAPH_RATE_LIMIT: '1000000' });
const embedder = createUseEmbedder();
const service = await startSearch(config, 0, { embedder, consumers: false });
const gateway = await startGateway(config, { settings: { responseCache: false, subgraphUrls: { search: service.url } }, redisPrefix: 'bench-search-gw:' });
const qdrant = createQdrantClient(config.qdrant, 120_000);
const redis = createRedis(config.redis.url, 'bench-search');
const chunkCollection = createCollectionNames(config.qdrant.collectionPrefix).chunks;
const chunks = createChunkStore(qdrant, chunkCollection, () => markChunksChanged(redis, chunkCollection));

try {
  const present = (await qdrant.count(createCollectionNames(config.qdrant.collectionPrefix).chunks, { exact: true })).count;
  if (present < totalPoints) await fillChunkPoints(chunks, { from: present, total: totalPoints, dimension: embedder.dimension });
  else console.log(`bench: ${present} chunk points already present`);

  const token = await signDevToken(config.auth, { sub: 'bench', role: 'service' });
  const texts = createQueryTexts(queryCount);
  await redis.del(...texts.map((text) => queryCacheKey(embedder.model, text)));
  const run = async (text: string, layer: string, url = gateway.url): Promise<number> => {
    const started = performance.now();
    const data = await requestGraphQL<{ semanticSearch: unknown[] }>(
      url,
      'query($text: String!, $filter: ChunkFilter) { semanticSearch(text: $text, k: 10, filter: $filter) { score chunk { id index } entities { id } } }',
      { text, filter: { layer } },
      { token },
    );
    if (data.semanticSearch.length !== 10) throw new Error(`expected 10 hits, got ${data.semanticSearch.length}`);
    return performance.now() - started;
  };
  for (let index = 0; index < 10; index += 1) await run(`warm-up query number ${index} about lupus`, 'SEMANTIC');
  const cold: number[] = [];
  for (const [index, text] of texts.entries()) cold.push(await run(text, layers[index % layers.length] as string));
  const warm: number[] = [];
  for (const [index, text] of texts.entries()) warm.push(await run(text, layers[index % layers.length] as string));
  // the same warm requests sent to the search subgraph itself: what the gateway adds
  const direct: number[] = [];
  for (const [index, text] of texts.entries()) direct.push(await run(text, layers[index % layers.length] as string, service.url));
  report(`cold (query embedded by USE), ${queryCount} queries`, cold);
  report(`warm (query vector from Redis), ${queryCount} queries`, warm);
  report(`warm, sent to the search subgraph without the gateway, ${queryCount} queries`, direct);
} finally {
  redis.disconnect();
  await gateway.stop();
  await service.stop();
}

function createQueryTexts(count: number): string[] {
  const asks = ['What is the first-line treatment for', 'Which tests monitor', 'Who owns the patient data for', 'What symptoms suggest a flare of', 'How is disease activity measured in'];
  const conditions = ['lupus', 'rheumatoid arthritis', "Crohn's disease", 'ulcerative colitis', 'psoriasis', 'multiple sclerosis', 'celiac disease', 'vasculitis'];
  return Array.from({ length: count }, (_, index) => `${asks[index % asks.length]} ${conditions[Math.floor(index / asks.length) % conditions.length]} (case ${index})?`);
}

function report(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
  console.log(`semanticSearch k=10 filter=layer over ${totalPoints} points, ${label}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
}

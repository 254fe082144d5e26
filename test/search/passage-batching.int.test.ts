import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { markChunksChanged } from '../../subgraphs/search/store/passage-memo.js';
import { createCollectionNames } from '../../subgraphs/search/store/qdrant.js';
import { startEmbeddingServer, type EmbeddingServer } from './support/embedding-server.js';
import { startQdrantProxy, type QdrantProxy } from './support/qdrant-proxy.js';
import { createTestConfig, ingestViaEvent, startSearchEnv, type SearchEnv } from './support/search-env.js';

/** Passage searches are batched per request: the search subgraph runs behind a recording proxy to Qdrant. */

let embeddings: EmbeddingServer;
let proxy: QdrantProxy;
let env: SearchEnv;

type Passage = { score: number; chunk: { id: string; text: string; document: { id: string } } };
type MessageResult = { id: string; supportingPassages: Passage[] };
const passagesQuery = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Message { id supportingPassages(k: 3) { score chunk { id text document { id } } } } }
}`;
const message = (id: string, content: string) => ({ __typename: 'Message', id, content });

/** What a write to the chunk collection does to remembered passages. */
const forgetPassages = () => markChunksChanged(env.redis, createCollectionNames(env.config.qdrant.collectionPrefix).chunks);

/** The searches (not other calls, such as the query log's writes) sent to Qdrant while `run` ran. */
async function searchesDuring<T>(run: () => Promise<T>): Promise<{ result: T; searches: { path: string; body: { searches?: unknown[] } }[] }> {
  const start = proxy.requests.length;
  const result = await run();
  const searches = proxy.requests
    .slice(start)
    .filter((request) => request.method === 'POST' && /\/points\/(query|search)(\/|$)/.test(request.path))
    .map((request) => ({ path: request.path, body: JSON.parse(request.body) as { searches?: unknown[] } }));
  return { result, searches };
}

beforeAll(async () => {
  embeddings = await startEmbeddingServer(64);
  proxy = await startQdrantProxy(loadConfig().qdrant.url);
  env = await startSearchEnv(createTestConfig({ QDRANT_URL: proxy.url, EMBEDDINGS_URL: embeddings.url, EMBEDDINGS_MODEL: 'bow-64', EMBEDDINGS_DIMENSION: '64' }));
  const arthritis = ['# Arthritis care', '## Drugs', `Methotrexate weekly dose with folic acid. ${'Monitor liver enzymes during methotrexate therapy. '.repeat(3)}`, '## Rest', 'Rest and physiotherapy help joints.'].join('\n\n');
  const diabetes = ['# Diabetes care', '## Glucose', `Insulin pump settings and HbA1c targets. ${'Check glucose before meals and at bedtime, record every reading. '.repeat(4)}`].join('\n\n');
  await Promise.all([
    ingestViaEvent(env, { documentId: 'doc-arthritis', title: 'Arthritis care', content: arthritis }),
    ingestViaEvent(env, { documentId: 'doc-diabetes', title: 'Diabetes care', content: diabetes }),
  ]);
});

afterAll(async () => {
  await env?.stop();
  await proxy?.close();
  await embeddings?.close();
});

describe('Message.supportingPassages', () => {
  it('searches for every message of one _entities call in one Qdrant request, answering as for each message alone', async () => {
    const messages = [
      message('m1', 'methotrexate dose and liver enzymes'),
      message('m2', 'insulin pump and glucose readings'),
      message('m3', 'rest and physiotherapy for joints'),
      message('m4', 'insulin pump and glucose readings'),
      message('m5', '   '),
      message('m6', 'HbA1c targets before meals'),
    ];
    const alone: MessageResult[] = [];
    const aloneSearches: unknown[] = [];
    for (const representation of messages) {
      const { result, searches } = await searchesDuring(() => env.graphql<{ _entities: MessageResult[] }>(passagesQuery, { representations: [representation] }));
      expect(result.errors).toBeUndefined();
      alone.push(...(result.data?._entities ?? []));
      aloneSearches.push(...searches);
    }
    // m4 repeats m2: its passages come from the memo; m5 has no content
    expect(aloneSearches).toHaveLength(4);
    expect(alone.map((result) => [result.id, result.supportingPassages[0]?.chunk.document.id])).toEqual([
      ['m1', 'doc-arthritis'],
      ['m2', 'doc-diabetes'],
      ['m3', 'doc-arthritis'],
      ['m4', 'doc-diabetes'],
      ['m5', undefined],
      ['m6', 'doc-diabetes'],
    ]);

    await forgetPassages();
    const { result, searches } = await searchesDuring(() => env.graphql<{ _entities: MessageResult[] }>(passagesQuery, { representations: messages }));
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual(alone);
    // m4 repeats m2 and m5 has no content: four distinct searches, in one request.
    expect(searches.map((search) => [search.path, search.body.searches?.length])).toEqual([
      [`/collections/${createCollectionNames(env.config.qdrant.collectionPrefix).chunks}/points/query/batch`, 4],
    ]);
  });

  it('searches a message once across requests, and again once the chunks change', async () => {
    const representations = [message('m1', `liver enzymes on methotrexate ${Date.now()}`)];
    const ask = () => searchesDuring(() => env.graphql<{ _entities: MessageResult[] }>(passagesQuery, { representations }));
    const first = await ask();
    const again = await ask();
    expect(first.searches).toHaveLength(1);
    expect(again.searches).toHaveLength(0);
    expect(again.result.data).toEqual(first.result.data);
    expect(first.result.data?._entities[0]?.supportingPassages[0]?.chunk.document.id).toBe('doc-arthritis');

    // a new document is a write to the chunk collection: remembered passages are stale, the next read searches
    await ingestViaEvent(env, { documentId: 'doc-liver', title: 'Liver monitoring', content: `# Liver monitoring\n\n${'Liver enzymes on methotrexate: test every month. '.repeat(4)}` });
    const after = await ask();
    expect(after.searches).toHaveLength(1);
    expect(after.result.data?._entities[0]?.supportingPassages.map((passage) => passage.chunk.document.id)).toContain('doc-liver');
  });

  it('reports an embedding outage as UNAVAILABLE on each message, without searching', async () => {
    embeddings.failNext(1);
    const messages = [message('m1', `outage probe one ${Date.now()}`), message('m2', `outage probe two ${Date.now()}`)];
    const { result, searches } = await searchesDuring(() => env.graphql<{ _entities: MessageResult[] }>(passagesQuery, { representations: messages }));
    expect(result.data?._entities).toEqual([
      { id: 'm1', supportingPassages: [] },
      { id: 'm2', supportingPassages: [] },
    ]);
    const unavailable = 'Semantic search is unavailable: the embedding model did not answer. Try again shortly.';
    expect(result.errors?.map((error) => [error.extensions?.code, error.path, error.message])).toEqual([
      ['UNAVAILABLE', ['_entities', 0, 'supportingPassages'], unavailable],
      ['UNAVAILABLE', ['_entities', 1, 'supportingPassages'], unavailable],
    ]);
    expect(searches).toEqual([]);
  });
});

describe('Query.semanticSearch', () => {
  it('shares one Qdrant request with the other searches of its request, answering as alone', async () => {
    const drugs = 'semanticSearch(text: "methotrexate dose", k: 2) { score chunk { id document { id } } }';
    const glucose = 'semanticSearch(text: "glucose readings", k: 2, filter: { minQuality: 0 }) { score chunk { id document { id } } }';
    const { result, searches } = await searchesDuring(() => env.graphql<Record<'drugs' | 'glucose', unknown[]>>(`{ drugs: ${drugs} glucose: ${glucose} }`));
    expect(result.errors).toBeUndefined();
    expect(searches.map((search) => search.body.searches?.length)).toEqual([2]);
    const alone = await Promise.all([drugs, glucose].map(async (field) => (await env.graphql<{ semanticSearch: unknown[] }>(`{ ${field} }`)).data?.semanticSearch));
    expect([result.data?.drugs, result.data?.glucose]).toEqual(alone);
    expect(alone.map((hits) => hits?.length)).toEqual([2, 2]);
  });
});

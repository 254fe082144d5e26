import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCacheKey } from '../../subgraphs/search/embedder/query-embedder.js';
import { createEntityStore } from '../../subgraphs/search/store/entity-store.js';
import { createCollectionNames, createQdrantClient } from '../../subgraphs/search/store/qdrant.js';
import { createQueryLogStore } from '../../subgraphs/search/store/query-log-store.js';
import { startEmbeddingServer, type EmbeddingServer } from './support/embedding-server.js';
import { createTestConfig, ingestViaEvent, publishEntity, startSearchEnv, waitFor, type SearchEnv } from './support/search-env.js';

let embeddings: EmbeddingServer;
let env: SearchEnv;
let qualityOf: Record<string, number>;

type Hit = { score: number; chunk: { id: string; index: number; text: string; document: { id: string } }; entities: { id: string }[] };
const searchQuery = `query($text: String!, $k: Int, $filter: ChunkFilter) {
  semanticSearch(text: $text, k: $k, filter: $filter) { score chunk { id index text document { id } } entities { id } }
}`;
const search = (text: string, k?: number, filter?: Record<string, unknown>) => env.graphql<{ semanticSearch: Hit[] }>(searchQuery, { text, k, filter });
const documentsOf = (hits: Hit[] | undefined) => (hits ?? []).map((hit) => hit.chunk.document.id);

beforeAll(async () => {
  embeddings = await startEmbeddingServer(64);
  env = await startSearchEnv(createTestConfig({ EMBEDDINGS_URL: embeddings.url, EMBEDDINGS_MODEL: 'bow-64', EMBEDDINGS_DIMENSION: '64' }));
  const entities = [
    { id: 'ent-mtx', name: 'Methotrexate', type: 'DRUG', layer: 'SEMANTIC', description: 'folate antagonist for arthritis' },
    { id: 'ent-lef', name: 'Leflunomide', type: 'DRUG', layer: 'SEMANTIC', description: 'pyrimidine antagonist for arthritis' },
    { id: 'ent-insulin', name: 'Insulin', type: 'DRUG', layer: 'REASONING', description: 'hormone lowering blood glucose' },
    { id: 'ent-hba1c', name: 'HbA1c', type: 'TEST', layer: 'REASONING', description: 'glycated haemoglobin' },
  ];
  for (const entity of entities) await publishEntity(env, entity);
  const store = createEntityStore(createQdrantClient(env.config.qdrant), createCollectionNames(env.config.qdrant.collectionPrefix).entities);
  await waitFor(async () => (await store.retrieve(entities.map((entity) => entity.id))).length === entities.length, 'entity sync');

  const arthritis = ['# Arthritis care', '## Drugs', `Methotrexate weekly dose with folic acid. ${'Monitor liver enzymes during methotrexate therapy. '.repeat(3)}`, '## Rest', 'Rest and physiotherapy help joints.'].join('\n\n');
  const diabetes = ['# Diabetes care', '## Glucose', `Insulin pump settings and HbA1c targets. ${'Check glucose before meals and at bedtime, record every reading. '.repeat(4)}`].join('\n\n');
  const results = await Promise.all([
    ingestViaEvent(env, { documentId: 'doc-arthritis', title: 'Arthritis care', content: arthritis }),
    ingestViaEvent(env, { documentId: 'doc-diabetes', title: 'Diabetes care', content: diabetes }),
  ]);
  qualityOf = Object.fromEntries(results.map((result) => [String(result.outcome.payload.documentId), Number((result.outcome.payload.quality as { compositeScore: number }).compositeScore)]));
});

afterAll(async () => {
  await env?.stop();
  await embeddings?.close();
});

describe('semanticSearch', () => {
  it('returns the nearest chunks first, with document and entity references', async () => {
    const { data, errors } = await search('methotrexate dose and liver enzymes', 3);
    expect(errors).toBeUndefined();
    const hits = data?.semanticSearch ?? [];
    expect(hits.length).toBe(3);
    expect(hits[0]?.chunk.document.id).toBe('doc-arthritis');
    expect(hits[0]?.chunk.text.slice(0, 50)).toBe('# Arthritis care\n## Drugs\nMethotrexate weekly dose');
    expect(hits[0]?.entities).toEqual([{ id: 'ent-mtx' }]);
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
  });

  it('filters by document, layer, entity types and minimum quality', async () => {
    expect(new Set(documentsOf((await search('methotrexate', 10, { documentId: 'doc-diabetes' })).data?.semanticSearch))).toEqual(new Set(['doc-diabetes']));
    const reasoning = (await search('methotrexate', 10, { layer: 'REASONING' })).data?.semanticSearch ?? [];
    expect(reasoning.map((hit) => hit.entities.map((entity) => entity.id))).toEqual([['ent-insulin', 'ent-hba1c']]);
    const tests = (await search('glucose', 10, { entityTypes: ['TEST'] })).data?.semanticSearch ?? [];
    expect(tests.map((hit) => hit.chunk.document.id)).toEqual(['doc-diabetes']);
    const [low, high] = Object.entries(qualityOf).sort((a, b) => a[1] - b[1]);
    expect(low && high && low[1] < high[1]).toBe(true);
    const minQuality = ((low?.[1] ?? 0) + (high?.[1] ?? 0)) / 2;
    expect(new Set(documentsOf((await search('care', 10, { minQuality })).data?.semanticSearch))).toEqual(new Set([high?.[0]]));
  });

  it('rejects bad input with stable codes and clear messages', async () => {
    const cases: [Promise<{ errors?: { message: string; extensions?: { code?: string } }[] }>, string][] = [
      [search('   '), 'text must not be empty'],
      [search('x'.repeat(2001)), 'text has 2001 characters; at most 2000 are accepted'],
      [search('methotrexate', 0), 'k must be between 1 and 50 (got 0)'],
      [search('methotrexate', 51), 'k must be between 1 and 50 (got 51)'],
      [search('methotrexate', 5, { minQuality: 1.5 }), 'filter.minQuality must be between 0 and 1 (got 1.5)'],
      [search('methotrexate', 5, { entityTypes: [] }), 'filter.entityTypes must name at least one type (or be left out)'],
      [
        search('methotrexate', 5, { documentId: 'doc-nope' }),
        'Unknown document doc-nope: no chunks of it are in the search index (it does not exist, or its ingestion has not completed)',
      ],
    ];
    for (const [response, message] of cases) {
      const { errors } = await response;
      expect(errors?.map((error) => [error.extensions?.code, error.message])).toEqual([['BAD_USER_INPUT', message]]);
    }
  });

  it('reports an embedding outage as UNAVAILABLE on the field, with an empty list', async () => {
    embeddings.failNext(1);
    const { data, errors } = await search(`outage probe ${Date.now()}`);
    expect(data?.semanticSearch).toEqual([]);
    expect(errors?.map((error) => [error.extensions?.code, error.path, error.message])).toEqual([
      ['UNAVAILABLE', ['semanticSearch'], 'Semantic search is unavailable: the embedding model did not answer. Try again shortly.'],
    ]);
  });

  it('answers UNAUTHENTICATED without a token', async () => {
    const { errors } = await env.graphql(searchQuery, { text: 'methotrexate' }, null);
    expect(errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('embeds a repeated query text once: the second time it comes from Redis', async () => {
    const text = `cache probe ${Date.now()}`;
    await search(text);
    const requests = embeddings.requests.length;
    expect(await env.redis.exists(queryCacheKey('bow-64', text))).toBe(1);
    await search(`  ${text}  `);
    expect(embeddings.requests.length).toBe(requests);
    const queryLog = createQueryLogStore(createQdrantClient(env.config.qdrant), createCollectionNames(env.config.qdrant.collectionPrefix).queries);
    await waitFor(async () => (await queryLog.count('bow-64')) > 0, 'the query log flush', 10_000);
  });
});

describe('fields added to other subgraphs entities', () => {
  it('Document.chunks lists chunks in order, for several documents in one batch', async () => {
    const { data, errors } = await env.graphql<{ _entities: { id: string; chunks: { index: number; document: { id: string } }[] }[] }>(
      `{ _entities(representations: [{ __typename: "Document", id: "doc-arthritis" }, { __typename: "Document", id: "doc-unknown" }]) {
          ... on Document { id chunks(first: 2) { index document { id } } } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data?._entities).toEqual([
      { id: 'doc-arthritis', chunks: [{ index: 0, document: { id: 'doc-arthritis' } }, { index: 1, document: { id: 'doc-arthritis' } }] },
      { id: 'doc-unknown', chunks: [] },
    ]);
  });

  it('Message.supportingPassages searches with the required content; analysts may not', async () => {
    const query = `{ _entities(representations: [{ __typename: "Message", id: "m1", content: "insulin pump and glucose readings" }]) {
        ... on Message { supportingPassages(k: 1) { chunk { document { id } } } } } }`;
    const { data, errors } = await env.graphql<{ _entities: { supportingPassages: { chunk: { document: { id: string } } }[] }[] }>(query);
    expect(errors).toBeUndefined();
    expect(data?._entities).toEqual([{ supportingPassages: [{ chunk: { document: { id: 'doc-diabetes' } } }] }]);
    const analyst = await env.graphql(query, {}, 'analyst');
    expect(analyst.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('MedicalEntity.similarEntities returns the nearest other entities; an unsynced one has none', async () => {
    const { data, errors } = await env.graphql<{ _entities: { similarEntities: { id: string }[] }[] }>(
      `{ _entities(representations: [{ __typename: "MedicalEntity", id: "ent-mtx" }, { __typename: "MedicalEntity", id: "ent-unknown" }]) {
          ... on MedicalEntity { similarEntities(k: 1) { id } } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data?._entities).toEqual([{ similarEntities: [{ id: 'ent-lef' }] }, { similarEntities: [] }]);
  });

  it('Chunk resolves by id', async () => {
    const hit = (await search('physiotherapy joints', 1)).data?.semanticSearch[0];
    const { data } = await env.graphql<{ _entities: { text: string }[] }>(`query($id: ID!) { _entities(representations: [{ __typename: "Chunk", id: $id }]) { ... on Chunk { text } } }`, {
      id: hit?.chunk.id,
    });
    expect(data?._entities[0]?.text).toBe(hit?.chunk.text);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkMarkdown } from '../../subgraphs/search/ingest/chunker.js';
import { chunkPointId } from '../../subgraphs/search/point-id.js';
import { createChunkStore, unannounced } from '../../subgraphs/search/store/chunk-store.js';
import { createEntityStore } from '../../subgraphs/search/store/entity-store.js';
import { createCollectionNames, createQdrantClient } from '../../subgraphs/search/store/qdrant.js';
import { startEmbeddingServer, type EmbeddingServer } from './support/embedding-server.js';
import { createTestConfig, ingestViaEvent, publishEntity, startSearchEnv, waitFor, type SearchEnv } from './support/search-env.js';

let embeddings: EmbeddingServer;
let env: SearchEnv;
let chunks: ReturnType<typeof createChunkStore>;

const longDocument = ['# Rheumatology handbook', ...Array.from({ length: 4 }, (_, n) => `## Part ${n}\n${`Methotrexate dosing note ${n}. `.repeat(40)}`)].join('\n\n');

beforeAll(async () => {
  embeddings = await startEmbeddingServer(64);
  const config = createTestConfig({ EMBEDDINGS_URL: embeddings.url, EMBEDDINGS_MODEL: 'bow-64', EMBEDDINGS_DIMENSION: '64' });
  env = await startSearchEnv(config);
  const names = createCollectionNames(config.qdrant.collectionPrefix);
  const qdrant = createQdrantClient(config.qdrant);
  chunks = createChunkStore(qdrant, names.chunks, unannounced);
  const entities = createEntityStore(qdrant, names.entities);
  await publishEntity(env, { id: 'ent-mtx', name: 'Methotrexate', type: 'DRUG', layer: 'SEMANTIC' });
  await publishEntity(env, { id: 'ent-ra', name: 'Rheumatoid Arthritis', type: 'DISEASE', layer: 'SEMANTIC' });
  await waitFor(async () => (await entities.retrieve(['ent-mtx', 'ent-ra'])).length === 2, 'entity sync');
});

afterAll(async () => {
  await env?.stop();
  await embeddings?.close();
});

describe('ingestion through the ingest stream', () => {
  it('chunks, links, embeds and upserts a document, reporting started then completed with exact quality', async () => {
    const content = '## Methotrexate\nMethotrexate treats rheumatoid arthritis.';
    const { kinds, outcome } = await ingestViaEvent(env, { documentId: 'doc-known', title: 'Known', content });
    expect(kinds).toEqual(['document.ingest.started', 'document.ingest.completed']);
    // density 0.5*1 + 0.5*4/5; clarity 0.5*1 + 0.5*0 (56 chars < 20% of 900); coherence 1 (one chunk);
    // sufficiency 0 (5 words < 30); relevancy 1 (one chunk); composite 0.2*0.9+0.15*0.5+0.2+0+0.25
    expect(outcome.payload).toEqual({
      documentId: 'doc-known',
      chunkCount: 1,
      quality: { informationDensity: 0.9, structuralClarity: 0.5, entityCoherence: 1, contextSufficiency: 0, contextualRelevancy: 1, compositeScore: 0.705 },
    });
    const [point] = await chunks.retrieve([chunkPointId('doc-known', 0)]);
    expect(point?.payload).toMatchObject({
      document_id: 'doc-known',
      chunk_index: 0,
      chunk_text: content,
      headings: ['Methotrexate'],
      layer: 'SEMANTIC',
      quality_score: 0.705,
      entity_ids: ['ent-mtx', 'ent-ra'],
      entity_types: ['DRUG', 'DISEASE'],
    });
  });

  it('re-ingests without duplicates, re-embeds nothing unchanged, and drops chunks a shorter version left', async () => {
    const expected = chunkMarkdown(longDocument).length;
    expect(expected).toBeGreaterThan(3);
    const first = await ingestViaEvent(env, { documentId: 'doc-long', content: longDocument }, 1);
    expect(first.outcome.payload.chunkCount).toBe(expected);
    expect(await chunks.countForDocument('doc-long')).toBe(expected);

    const requestsBefore = embeddings.requests.length;
    const again = await ingestViaEvent(env, { documentId: 'doc-long', content: longDocument }, 2);
    expect(again.outcome.type).toBe('document.ingest.completed');
    expect(await chunks.countForDocument('doc-long')).toBe(expected);
    expect(embeddings.requests.length).toBe(requestsBefore);

    const shorter = await ingestViaEvent(env, { documentId: 'doc-long', content: '## Only part\nA single short paragraph now.' }, 3);
    expect(shorter.outcome.payload.chunkCount).toBe(1);
    expect(await chunks.countForDocument('doc-long')).toBe(1);
    expect(await chunks.retrieve([chunkPointId('doc-long', 1)])).toEqual([]);
  });

  it('fails a document without text with a clear reason and writes nothing', async () => {
    const { kinds, outcome } = await ingestViaEvent(env, { documentId: 'doc-empty', content: ' \n\t\n ' });
    expect(kinds).toEqual(['document.ingest.started', 'document.ingest.failed']);
    expect(outcome.payload).toEqual({ documentId: 'doc-empty', reason: 'Document doc-empty has no text to index' });
    expect(await chunks.countForDocument('doc-empty')).toBe(0);
  });

  it('reports an embedding outage as failed, and the retry (next attempt) completes', async () => {
    embeddings.failNext(1);
    const failed = await ingestViaEvent(env, { documentId: 'doc-retry', content: longDocument.replace(/Methotrexate/g, 'Leflunomide') }, 1);
    expect(failed.outcome.type).toBe('document.ingest.failed');
    expect(String(failed.outcome.payload.reason)).toMatch(/^Ingestion failed: Embedding endpoint .* answered 503: model overloaded$/);
    expect(await chunks.countForDocument('doc-retry')).toBe(0);

    const retried = await ingestViaEvent(env, { documentId: 'doc-retry', content: longDocument.replace(/Methotrexate/g, 'Leflunomide') }, 2);
    expect(retried.kinds).toEqual(['document.ingest.started', 'document.ingest.completed']);
    expect(await chunks.countForDocument('doc-retry')).toBe(retried.outcome.payload.chunkCount);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { chunkPointId } from '../../subgraphs/search/point-id.js';
import { chunkCollectionConfig } from '../../subgraphs/search/store/chunk-collection-upgrade.js';
import { createChunkStore, lexicalVectorName, unannounced, type ChunkPoint } from '../../subgraphs/search/store/chunk-store.js';
import { ensureCollections } from '../../subgraphs/search/store/collections.js';
import { createCollectionNames, createQdrantClient } from '../../subgraphs/search/store/qdrant.js';
import { createTestConfig } from './support/search-env.js';

/** A chunk collection from before lexical search is rebuilt with it, without losing a point, even when interrupted. */
const config = createTestConfig();
const qdrant = createQdrantClient(config.qdrant, 60_000);
const names = createCollectionNames(config.qdrant.collectionPrefix);
const copyName = `${names.chunks}__rebuild`;

function oldPoint(index: number): ChunkPoint {
  const vector = Array.from({ length: 512 }, (_, position) => Math.sin(index + position));
  return {
    id: chunkPointId(`doc-${index % 7}`, Math.floor(index / 7)),
    vector,
    payload: { document_id: `doc-${index % 7}`, chunk_index: Math.floor(index / 7), chunk_text: `Passage ${index} about calprotectin`, headings: ['Markers'], layer: 'PERCEPTION', quality_score: 0.5, entity_ids: [], entity_types: [], content_hash: `h${index}`, created_at: '2026-01-01T00:00:00.000Z' },
  };
}

async function collectionState() {
  const info = await qdrant.getCollection(names.chunks);
  return {
    lexical: Boolean(info.config.params.sparse_vectors?.[lexicalVectorName]),
    count: (await qdrant.count(names.chunks, { exact: true })).count,
    copyLeft: (await qdrant.collectionExists(copyName)).exists,
  };
}

afterAll(async () => {
  for (const name of [...Object.values(names), copyName]) if ((await qdrant.collectionExists(name)).exists) await qdrant.deleteCollection(name);
});

describe('chunk collection upgrade', () => {
  it('gives every point of an old collection its lexical vector and template key, dense vectors and payloads kept', async () => {
    await qdrant.createCollection(names.chunks, { vectors: { size: 512, distance: 'Cosine' } });
    const points = Array.from({ length: 300 }, (_, index) => oldPoint(index));
    await createChunkStore(qdrant, names.chunks, unannounced).upsert(points, 100);

    // the points changed: the search subgraph makes remembered passages stale on this answer
    expect(await ensureCollections(qdrant, names, 512, 'use')).toBe(true);

    expect(await collectionState()).toEqual({ lexical: true, count: 300, copyLeft: false });
    const [first] = await createChunkStore(qdrant, names.chunks, unannounced).retrieve([points[0]!.id], true);
    expect(first?.payload).toMatchObject(points[0]!.payload);
    expect(first?.payload.template_key).toMatch(/^[0-9a-f]{24}$/);
    // cosine collections store vectors normalised: the direction is what must survive
    const cosine = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * (b[index] as number), 0) / (Math.hypot(...a) * Math.hypot(...b));
    expect(cosine(first?.vector ?? [], points[0]!.vector!)).toBeCloseTo(1, 5);
    expect(first?.lexical?.indices.length).toBeGreaterThan(0);
    // a second start finds nothing to do, and keeps what was remembered
    expect(await ensureCollections(qdrant, names, 512, 'use')).toBe(false);
    expect(await collectionState()).toEqual({ lexical: true, count: 300, copyLeft: false });
  });

  it('finishes an upgrade that stopped after the original was made again, from the copy', async () => {
    await qdrant.deleteCollection(names.chunks);
    await qdrant.createCollection(copyName, chunkCollectionConfig(512));
    await createChunkStore(qdrant, copyName, unannounced).upsert(Array.from({ length: 50 }, (_, index) => oldPoint(index)), 50);
    // the original was deleted and not made again: the next start makes it and refills it
    expect(await ensureCollections(qdrant, names, 512, 'use')).toBe(true);
    expect(await collectionState()).toEqual({ lexical: true, count: 50, copyLeft: false });
  });
});

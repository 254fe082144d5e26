import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceHandle } from '../../lib/http-server.js';
import { createRedis } from '../../lib/redis.js';
import { startSearch } from '../../subgraphs/search/server.js';
import { createCollectionGuard, DimensionMismatchError, ensureCollections } from '../../subgraphs/search/store/collections.js';
import { createCollectionNames, createQdrantClient } from '../../subgraphs/search/store/qdrant.js';
import { startEmbeddingServer, type EmbeddingServer } from './support/embedding-server.js';
import { createTestConfig, dropTestState } from './support/search-env.js';

let embeddings: EmbeddingServer;
const config = createTestConfig();
const withEmbedder = (dimension: number) =>
  ({ ...config, embeddings: { url: embeddings.url, model: `bow-${dimension}`, dimension, apiKey: undefined } }) satisfies typeof config;

beforeAll(async () => {
  embeddings = await startEmbeddingServer(32);
  const first: ServiceHandle = await startSearch(withEmbedder(32), 0, { consumers: false });
  await first.stop();
});

afterAll(async () => {
  const redis = createRedis(config.redis.url, 'search-test');
  await dropTestState(config, redis);
  redis.disconnect();
  await embeddings?.close();
});

describe('the dimension guard', () => {
  it('refuses to start an embedder of another size against existing collections, naming both sizes', async () => {
    const names = createCollectionNames(config.qdrant.collectionPrefix);
    await expect(startSearch(withEmbedder(48), 0, { consumers: false })).rejects.toThrow(
      `Collection "${names.chunks}" holds 32-dimensional vectors but the embedder "bow-48" makes 48-dimensional ones. ` +
        'Refusing to mix vector spaces: switch back to the embedder the collection was built with, or re-index into new collections ' +
        '(a different QDRANT_COLLECTION_PREFIX) with this one.',
    );
  });

  it('keeps refusing every search after start-up (the refusal is not cached as success)', async () => {
    const qdrant = createQdrantClient(config.qdrant);
    const guard = createCollectionGuard(() => ensureCollections(qdrant, createCollectionNames(config.qdrant.collectionPrefix), 512, 'use'));
    await expect(guard()).rejects.toBeInstanceOf(DimensionMismatchError);
    await expect(guard()).rejects.toBeInstanceOf(DimensionMismatchError);
    const info = await qdrant.getCollection(createCollectionNames(config.qdrant.collectionPrefix).entities);
    expect(info.config.params.vectors).toMatchObject({ size: 32, distance: 'Cosine' });
  });

  it('starts again with the embedder the collections were built with', async () => {
    const again = await startSearch(withEmbedder(32), 0, { consumers: false });
    await again.stop();
  });
});

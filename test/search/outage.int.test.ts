import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../lib/auth.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { startSearch } from '../../subgraphs/search/server.js';
import { freePort } from '../support/free-port.js';
import { startEmbeddingServer, type EmbeddingServer } from './support/embedding-server.js';
import { createTestConfig } from './support/search-env.js';

let embeddings: EmbeddingServer;
let service: ServiceHandle;
let token: string;

beforeAll(async () => {
  embeddings = await startEmbeddingServer(16);
  const deadQdrant = `http://127.0.0.1:${await freePort()}`;
  const config = createTestConfig({ QDRANT_URL: deadQdrant, EMBEDDINGS_URL: embeddings.url, EMBEDDINGS_MODEL: 'bow-16', EMBEDDINGS_DIMENSION: '16' });
  service = await startSearch(config, 0, { consumers: false });
  token = await signDevToken(config.auth, { sub: 'test', role: 'clinician' });
});

afterAll(async () => {
  await service?.stop();
  await embeddings?.close();
});

describe('a Qdrant outage', () => {
  it('does not stop the service from starting, and /readyz says which store is missing', async () => {
    const response = await fetch(service.url.replace('/graphql', '/readyz'));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'not ready', service: 'search', checks: { redis: true, qdrant: false } });
  });

  it('gives a clear error on the search fields only; the rest of the query resolves', async () => {
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `{ semanticSearch(text: "methotrexate") { score }
                  _entities(representations: [{ __typename: "Document", id: "d1" }]) { ... on Document { id chunks { index } } }
                  _service { sdl } }`,
      }),
    });
    const body = (await response.json()) as {
      data: { semanticSearch: unknown[]; _entities: unknown[]; _service: { sdl: string } };
      errors: { message: string; path: unknown[]; extensions: { code: string } }[];
    };
    expect(body.data.semanticSearch).toEqual([]);
    expect(body.data._entities).toEqual([{ id: 'd1', chunks: [] }]);
    expect(body.data._service.sdl).toContain('semanticSearch');
    const message = 'Semantic search is unavailable: the vector store (Qdrant) did not answer. Try again shortly.';
    expect(body.errors.map((error) => [error.extensions.code, error.path, error.message])).toEqual([
      ['UNAVAILABLE', ['semanticSearch'], message],
      ['UNAVAILABLE', ['_entities', 0, 'chunks'], message],
    ]);
  });
});

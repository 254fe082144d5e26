import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config.js';
import { createEmbedder } from '../../subgraphs/search/embedder/create-embedder.js';
import { createHttpEmbedder } from '../../subgraphs/search/embedder/http-embedder.js';
import { createUseEmbedder } from '../../subgraphs/search/embedder/use-embedder.js';
import { embedBagOfWords, startEmbeddingServer, type EmbeddingServer } from './support/embedding-server.js';

let server: EmbeddingServer;

beforeAll(async () => {
  server = await startEmbeddingServer(8);
});

afterAll(async () => {
  await server?.close();
});

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0) / Math.hypot(...a) / Math.hypot(...b);

describe('the OpenAI-compatible HTTP embedder', () => {
  it('sends batches of the configured size and returns vectors in input order', async () => {
    const embedder = createHttpEmbedder({ url: server.url, model: 'bow-8', dimension: 8, apiKey: 'k', batchSize: 2 });
    const texts = ['alpha', 'beta gamma', 'delta', 'epsilon', 'zeta'];
    const before = server.requests.length;
    expect(await embedder.embed(texts)).toEqual(texts.map((text) => embedBagOfWords(text, 8)));
    expect(server.requests.slice(before)).toEqual([
      { model: 'bow-8', input: ['alpha', 'beta gamma'] },
      { model: 'bow-8', input: ['delta', 'epsilon'] },
      { model: 'bow-8', input: ['zeta'] },
    ]);
  });

  it('refuses vectors of another size than EMBEDDINGS_DIMENSION', async () => {
    const embedder = createHttpEmbedder({ url: server.url, model: 'bow-8', dimension: 12, apiKey: undefined });
    await expect(embedder.embed(['alpha'])).rejects.toThrow(`Embedding endpoint ${server.url}/embeddings returned 8-dimensional vectors; EMBEDDINGS_DIMENSION is 12`);
  });

  it('reports an endpoint error with its status', async () => {
    server.failNext(1);
    const embedder = createHttpEmbedder({ url: server.url, model: 'bow-8', dimension: 8, apiKey: undefined });
    await expect(embedder.embed(['alpha'])).rejects.toThrow(`Embedding endpoint ${server.url}/embeddings answered 503: model overloaded`);
  });

  it('needs a model and a dimension when EMBEDDINGS_URL is set', () => {
    expect(() => createEmbedder({ url: server.url, model: undefined, dimension: undefined, apiKey: undefined })).toThrow(ConfigError);
    expect(createEmbedder({ url: undefined, model: undefined, dimension: undefined, apiKey: undefined }).model).toBe('universal-sentence-encoder-en');
  });
});

describe('the offline Universal Sentence Encoder', () => {
  it('makes 512-dimensional vectors where related sentences are nearer than unrelated ones', async () => {
    const embedder = createUseEmbedder();
    const [drug, sameTopic, other] = await embedder.embed([
      'Methotrexate is used to treat rheumatoid arthritis.',
      'Rheumatoid arthritis patients often receive methotrexate.',
      'The train to Paris leaves at noon.',
    ]);
    expect([drug?.length, sameTopic?.length, other?.length]).toEqual([512, 512, 512]);
    expect(cosine(drug ?? [], sameTopic ?? [])).toBeGreaterThan(cosine(drug ?? [], other ?? []) + 0.3);
  });
});

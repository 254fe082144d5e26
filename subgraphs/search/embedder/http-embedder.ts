import { z } from 'zod';
import { embedInBatches, type Embedder } from './embedder.js';

export interface HttpEmbedderOptions {
  /** Base URL; requests go to `<url>/embeddings`. */
  url: string;
  model: string;
  dimension: number;
  apiKey: string | undefined;
  /** Texts per request; default 64. */
  batchSize?: number;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
}

const responseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
});

/** An OpenAI-compatible `/embeddings` endpoint (OpenAI, vLLM, Ollama, TEI, LiteLLM...). */
export function createHttpEmbedder(options: HttpEmbedderOptions): Embedder {
  const endpoint = `${options.url.replace(/\/+$/, '')}/embeddings`;

  async function embedBatch(batch: string[]): Promise<number[][]> {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
      body: JSON.stringify({ model: options.model, input: batch }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    if (!response.ok) throw new Error(`Embedding endpoint ${endpoint} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    const parsed = responseSchema.safeParse(await response.json());
    if (!parsed.success) throw new Error(`Embedding endpoint ${endpoint} sent an unexpected body: ${parsed.error.message}`);
    const vectors = [...parsed.data.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
    if (vectors.length !== batch.length) throw new Error(`Embedding endpoint ${endpoint} returned ${vectors.length} vectors for ${batch.length} texts`);
    const wrong = vectors.find((vector) => vector.length !== options.dimension);
    if (wrong) throw new Error(`Embedding endpoint ${endpoint} returned ${wrong.length}-dimensional vectors; EMBEDDINGS_DIMENSION is ${options.dimension}`);
    return vectors;
  }

  return {
    model: options.model,
    dimension: options.dimension,
    embed: (texts) => embedInBatches(texts, options.batchSize ?? 64, embedBatch),
    warm: async () => {},
  };
}

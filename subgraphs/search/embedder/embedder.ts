import type { Config } from '../../../lib/config.js';
import { ConfigError } from '../../../lib/config.js';
import { createHttpEmbedder } from './http-embedder.js';
import { createUseEmbedder } from './use-embedder.js';

/** Turns texts into vectors of a fixed dimension; `model` names the vector space (cache keys, guards). */
export interface Embedder {
  readonly model: string;
  readonly dimension: number;
  /** One vector per text, in order. Implementations batch internally. */
  embed(texts: readonly string[]): Promise<number[][]>;
  /** Loads whatever is slow to load, so the first request does not pay for it. */
  warm(): Promise<void>;
}

/** The offline Universal Sentence Encoder unless EMBEDDINGS_URL names an OpenAI-compatible endpoint. */
export function createEmbedder(embeddings: Config['embeddings']): Embedder {
  if (!embeddings.url) return createUseEmbedder();
  const problems = [
    ...(embeddings.model ? [] : ['EMBEDDINGS_MODEL: required when EMBEDDINGS_URL is set']),
    ...(embeddings.dimension ? [] : ['EMBEDDINGS_DIMENSION: required when EMBEDDINGS_URL is set']),
  ];
  if (problems.length > 0 || !embeddings.model || !embeddings.dimension) throw new ConfigError(problems);
  return createHttpEmbedder({ url: embeddings.url, model: embeddings.model, dimension: embeddings.dimension, apiKey: embeddings.apiKey });
}

/** Splits work into batches and runs them one after another (bounded memory, fair CPU). */
export async function embedInBatches(texts: readonly string[], size: number, embedBatch: (batch: string[]) => Promise<number[][]>): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let start = 0; start < texts.length; start += size) vectors.push(...(await embedBatch(texts.slice(start, start + size))));
  return vectors;
}

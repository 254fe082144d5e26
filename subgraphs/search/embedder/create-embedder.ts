import { ConfigError, type Config } from '../../../lib/config.js';
import type { Embedder } from './embedder.js';
import { createHttpEmbedder } from './http-embedder.js';
import { createUseEmbedder } from './use-embedder.js';

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

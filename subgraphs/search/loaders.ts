import DataLoader from 'dataloader';
import type { ChunkPoint } from './store/chunk-store.js';
import type { SearchServices } from './services.js';

/** Per-request batching: one model call for every query text, one Qdrant call per point kind. */
export function createLoaders(services: SearchServices) {
  return {
    queryVector: new DataLoader<string, number[]>((texts) => services.queryEmbedder.embedQueries(texts)),
    entityVector: new DataLoader<string, number[] | null>(async (ids) => {
      const points = await services.entities.retrieve(ids, true);
      const byId = new Map(points.map((point) => [point.payload.entity_id, point.vector ?? null]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    chunkById: new DataLoader<string, ChunkPoint | null>(async (ids) => {
      const points = await services.chunks.retrieve(ids);
      const byId = new Map(points.map((point) => [point.id, point]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type SearchLoaders = ReturnType<typeof createLoaders>;

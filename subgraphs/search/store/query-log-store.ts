import type { QdrantClient } from '@qdrant/js-client-rest';
import { queryPointId } from '../point-id.js';
import { callQdrant } from './qdrant.js';

/**
 * `query_cache`: each distinct searched text once per model, with its vector and when it was
 * last searched. Redis serves the hot path; this collection keeps the texts within their
 * retention (embedder/query-log.ts).
 */
export function createQueryLogStore(client: QdrantClient, collection: string) {
  return {
    async record(model: string, texts: readonly string[], vectors: readonly number[][]): Promise<void> {
      const now = new Date().toISOString();
      const points = texts.map((text, index) => ({ id: queryPointId(model, text), vector: [...(vectors[index] ?? [])], payload: { text, model, last_embedded_at: now } }));
      if (points.length > 0) await callQdrant(() => client.upsert(collection, { wait: false, points }));
    },

    /** Deletes every text last searched before `cutoff`. */
    async deleteUnusedSince(cutoff: Date): Promise<void> {
      await callQdrant(() => client.delete(collection, { wait: true, filter: { must: [{ key: 'last_embedded_at', range: { lt: cutoff.toISOString() } }] } }));
    },

    async count(model: string): Promise<number> {
      return (await callQdrant(() => client.count(collection, { exact: true, filter: { must: [{ key: 'model', match: { value: model } }] } }))).count;
    },
  };
}

export type QueryLogStore = ReturnType<typeof createQueryLogStore>;

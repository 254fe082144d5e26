import type { QdrantClient } from '@qdrant/js-client-rest';
import { entityPointId } from '../point-id.js';
import { callQdrant } from './qdrant.js';

/** The payload of an `entity_embeddings` point: one per knowledge entity. */
export interface EntityPayload {
  entity_id: string;
  name: string;
  type: string;
  layer: string;
  description: string | null;
  /** Other names clinicians use (absent in points stored before synonyms existed). */
  synonyms?: string[];
  /** sha256 of model + embedded text: a replayed or unchanged event is not embedded again. */
  content_hash: string;
  updated_at: string;
}

export interface EntityPoint {
  payload: EntityPayload;
  vector?: number[];
}

export function createEntityStore(client: QdrantClient, collection: string) {
  return {
    async upsert(payload: EntityPayload, vector: readonly number[]): Promise<void> {
      await callQdrant(() => client.upsert(collection, { wait: true, points: [{ id: entityPointId(payload.entity_id), vector: [...vector], payload: { ...payload } }] }));
    },

    /** Entities by knowledge id, in one round trip; unknown ids are left out. */
    async retrieve(entityIds: readonly string[], withVector = false): Promise<EntityPoint[]> {
      if (entityIds.length === 0) return [];
      const records = await callQdrant(() => client.retrieve(collection, { ids: entityIds.map(entityPointId), with_payload: true, with_vector: withVector }));
      return records.map((record) => ({
        payload: record.payload as unknown as EntityPayload,
        ...(Array.isArray(record.vector) ? { vector: record.vector as number[] } : {}),
      }));
    },

    /** Every entity's id, name, type and layer (the entity linker's dictionary), page by page. */
    async listAll(pageSize = 1000): Promise<EntityPayload[]> {
      const all: EntityPayload[] = [];
      let offset: string | number | undefined;
      do {
        const page = await callQdrant(() => client.scroll(collection, { limit: pageSize, with_payload: true, with_vector: false, ...(offset !== undefined ? { offset } : {}) }));
        all.push(...page.points.map((point) => point.payload as unknown as EntityPayload));
        const next = page.next_page_offset;
        offset = typeof next === 'string' || typeof next === 'number' ? next : undefined;
      } while (offset !== undefined);
      return all;
    },

    /** Nearest entities to `vector`, the entity `excludeId` left out. */
    async searchSimilar(vector: readonly number[], k: number, excludeId: string): Promise<EntityPayload[]> {
      const result = await callQdrant(() =>
        client.query(collection, { query: [...vector], limit: k, with_payload: true, filter: { must_not: [{ key: 'entity_id', match: { value: excludeId } }] } }),
      );
      return result.points.map((point) => point.payload as unknown as EntityPayload);
    },
  };
}

export type EntityStore = ReturnType<typeof createEntityStore>;

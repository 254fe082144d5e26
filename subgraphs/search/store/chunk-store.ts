import type { QdrantClient, Schemas } from '@qdrant/js-client-rest';
import { chunkPointId } from '../point-id.js';
import { callQdrant } from './qdrant.js';

/** The payload of a `document_chunks` point, as stored. */
export interface ChunkPayload {
  document_id: string;
  chunk_index: number;
  chunk_text: string;
  headings: string[];
  layer: string;
  /** The document's composite quality, so `minQuality` filters whole documents. */
  /** null: never assessed (a legacy document without a quality report). */
  quality_score: number | null;
  entity_ids: string[];
  entity_types: string[];
  /** sha256 of model + embedded text: an unchanged chunk is not embedded again on retry. */
  content_hash: string;
  created_at: string;
}

export interface ChunkPoint {
  id: string;
  payload: ChunkPayload;
  vector?: number[];
}

export interface ChunkSearchFilter {
  documentId?: string;
  layer?: string;
  entityTypes?: readonly string[];
  minQuality?: number;
}

export interface ChunkSearch {
  vector: readonly number[];
  filter: ChunkSearchFilter;
  limit: number;
}

export interface ScoredChunk {
  score: number;
  point: ChunkPoint;
}

export function createChunkStore(client: QdrantClient, collection: string) {
  /** A collection not created yet holds no points. */
  async function* scrollPages(filter: Schemas['Filter'] | undefined, pageSize: number): AsyncGenerator<ChunkPoint[]> {
    if (!(await callQdrant(() => client.collectionExists(collection))).exists) return;
    for (let offset: string | number | undefined; ; ) {
      const page = await callQdrant(() => client.scroll(collection, { limit: pageSize, with_payload: true, with_vector: false, ...(filter ? { filter } : {}), ...(offset === undefined ? {} : { offset }) }));
      yield page.points.map(toChunkPoint);
      const next = page.next_page_offset;
      if (next === null || next === undefined || typeof next === 'object') return;
      offset = next;
    }
  }

  return {
    /** Readiness: Qdrant answers and the collection is there. */
    async isAvailable(): Promise<boolean> {
      return (await callQdrant(() => client.collectionExists(collection))).exists;
    },

    async upsert(points: readonly ChunkPoint[], batchSize = 64): Promise<void> {
      for (let start = 0; start < points.length; start += batchSize) {
        const batch = points.slice(start, start + batchSize).map((point) => ({ id: point.id, vector: point.vector ?? [], payload: { ...point.payload } }));
        await callQdrant(() => client.upsert(collection, { wait: true, points: batch }));
      }
    },

    /** Points by id (missing ids are left out), optionally with their vectors. */
    async retrieve(ids: readonly string[], withVector = false): Promise<ChunkPoint[]> {
      if (ids.length === 0) return [];
      const records = await callQdrant(() => client.retrieve(collection, { ids: [...ids], with_payload: true, with_vector: withVector }));
      return records.map(toChunkPoint);
    },

    /** Deletes the chunks of a document from `fromIndex` on: what a shorter re-ingestion left behind. */
    async deleteFrom(documentId: string, fromIndex: number): Promise<void> {
      await callQdrant(() =>
        client.delete(collection, {
          wait: true,
          filter: { must: [{ key: 'document_id', match: { value: documentId } }, { key: 'chunk_index', range: { gte: fromIndex } }] },
        }),
      );
    },

    /** Deletes every chunk of these documents. */
    async deleteDocuments(documentIds: readonly string[]): Promise<void> {
      if (documentIds.length === 0) return;
      await callQdrant(() => client.delete(collection, { wait: true, filter: { must: [{ key: 'document_id', match: { any: [...documentIds] } }] } }));
    },

    async countForDocument(documentId: string): Promise<number> {
      const result = await callQdrant(() => client.count(collection, { exact: true, filter: { must: [{ key: 'document_id', match: { value: documentId } }] } }));
      return result.count;
    },

    /** Whether a document has any chunk: its chunk 0 exists (ids are deterministic). */
    async hasDocument(documentId: string): Promise<boolean> {
      return (await this.retrieve([chunkPointId(documentId, 0)])).length > 0;
    },

    /** Every point (payload only), a page at a time, in id order: for comparing whole stores. */
    scrollAll: (pageSize = 1000) => scrollPages(undefined, pageSize),

    /** The points of these documents (payload only). */
    async forDocuments(documentIds: readonly string[]): Promise<ChunkPoint[]> {
      if (documentIds.length === 0) return [];
      const points: ChunkPoint[] = [];
      for await (const page of scrollPages({ must: [{ key: 'document_id', match: { any: [...documentIds] } }] }, 1000)) points.push(...page);
      return points;
    },

    /** Runs every search in one Qdrant request; the results come back in the order of `searches`. */
    async searchMany(searches: readonly ChunkSearch[]): Promise<ScoredChunk[][]> {
      const results = await callQdrant(() => client.queryBatch(collection, { searches: searches.map(toQueryRequest) }));
      return results.map((result) => result.points.map((point) => ({ score: point.score, point: toChunkPoint(point) })));
    },
  };
}

export type ChunkStore = ReturnType<typeof createChunkStore>;

function toQueryRequest({ vector, filter, limit }: ChunkSearch): Schemas['QueryRequest'] {
  const conditions = buildConditions(filter);
  return { query: [...vector], limit, with_payload: true, ...(conditions.length > 0 ? { filter: { must: conditions } } : {}) };
}

function buildConditions(filter: ChunkSearchFilter): Schemas['FieldCondition'][] {
  const conditions: Schemas['FieldCondition'][] = [];
  if (filter.documentId !== undefined) conditions.push({ key: 'document_id', match: { value: filter.documentId } });
  if (filter.layer !== undefined) conditions.push({ key: 'layer', match: { value: filter.layer } });
  if (filter.entityTypes && filter.entityTypes.length > 0) conditions.push({ key: 'entity_types', match: { any: [...filter.entityTypes] } });
  if (filter.minQuality !== undefined) conditions.push({ key: 'quality_score', range: { gte: filter.minQuality } });
  return conditions;
}

function toChunkPoint(record: { id: string | number; payload?: Record<string, unknown> | null; vector?: unknown }): ChunkPoint {
  const vector = Array.isArray(record.vector) && typeof record.vector[0] === 'number' ? (record.vector as number[]) : undefined;
  return { id: String(record.id), payload: record.payload as unknown as ChunkPayload, ...(vector ? { vector } : {}) };
}

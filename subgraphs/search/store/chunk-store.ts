import type { QdrantClient, Schemas } from '@qdrant/js-client-rest';
import type { SparseVector } from '../lexical/lexical-vector.js';
import { chunkPointId } from '../point-id.js';
import { callQdrant } from './qdrant.js';

/** The sparse vector of each chunk point: BM25 term weights (lexical/), IDF applied by Qdrant. */
export const lexicalVectorName = 'lexical';

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
  /** Absent in points written before lexical search: the title was not kept then. */
  document_title?: string | null;
  /** The text without the words of its document's title: equal in chunks of documents made from one template. */
  template_key?: string;
  /** How many chunk points share `template_key` (this one included): boilerplate ranks lower. */
  template_repeats?: number;
}

export interface ChunkPoint {
  id: string;
  payload: ChunkPayload;
  /** The dense embedding (Qdrant's unnamed vector). */
  vector?: number[];
  lexical?: SparseVector;
}

export interface ChunkSearchFilter {
  documentId?: string;
  layer?: string;
  entityTypes?: readonly string[];
  minQuality?: number;
}

export interface ChunkSearch {
  vector: readonly number[];
  lexical: SparseVector;
  /** Entities the searcher is about (those a message mentions): chunks naming them get a third candidate list. */
  entityIds: readonly string[];
  filter: ChunkSearchFilter;
  limit: number;
}

export interface ScoredChunk {
  score: number;
  point: ChunkPoint;
}

/** For a store that only reads, or fills a collection no passage search reads (a copy): nothing to announce. */
export const unannounced = async (): Promise<void> => undefined;

/**
 * `changed` runs after every write to the collection (the passage memo's generation, see
 * passage-memo.ts); a write whose `changed` fails fails too, so its caller retries it rather than
 * leaving stale results. It is required: a writer that forgot it would leave the memo serving
 * passages older than the chunks.
 */
export function createChunkStore(client: QdrantClient, collection: string, changed: () => Promise<void>) {
  /** A collection not created yet holds no points. */
  async function* scrollPages(filter: Schemas['Filter'] | undefined, pageSize: number, withVector = false): AsyncGenerator<ChunkPoint[]> {
    if (!(await callQdrant(() => client.collectionExists(collection))).exists) return;
    for (let offset: string | number | undefined; ; ) {
      const page = await callQdrant(() => client.scroll(collection, { limit: pageSize, with_payload: true, with_vector: withVector, ...(filter ? { filter } : {}), ...(offset === undefined ? {} : { offset }) }));
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
        const batch = points.slice(start, start + batchSize).map((point) => ({ id: point.id, vector: pointVectors(point), payload: { ...point.payload } }));
        await callQdrant(() => client.upsert(collection, { wait: true, points: batch }));
      }
      await changed();
    },

    /** Sets `template_repeats` on every point sharing a template key of these points to how many share it now. */
    async refreshTemplateRepeats(points: readonly ChunkPoint[]): Promise<void> {
      const keys = new Set(points.flatMap((point) => (point.payload.template_key ? [point.payload.template_key] : [])));
      for (const key of keys) {
        const filter = { must: [{ key: 'template_key', match: { value: key } }] };
        const { count } = await callQdrant(() => client.count(collection, { exact: true, filter }));
        if (count > 0) await callQdrant(() => client.setPayload(collection, { wait: true, filter, payload: { template_repeats: count } }));
      }
      if (keys.size > 0) await changed();
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
      await changed();
    },

    /** Deletes every chunk of these documents, and recounts the template keys they had. */
    async deleteDocuments(documentIds: readonly string[]): Promise<void> {
      if (documentIds.length === 0) return;
      const removed = await this.forDocuments(documentIds);
      await callQdrant(() => client.delete(collection, { wait: true, filter: { must: [{ key: 'document_id', match: { any: [...documentIds] } }] } }));
      await changed();
      await this.refreshTemplateRepeats(removed);
    },

    async countForDocument(documentId: string): Promise<number> {
      const result = await callQdrant(() => client.count(collection, { exact: true, filter: { must: [{ key: 'document_id', match: { value: documentId } }] } }));
      return result.count;
    },

    /** Whether a document has any chunk: its chunk 0 exists (ids are deterministic). */
    async hasDocument(documentId: string): Promise<boolean> {
      return (await this.retrieve([chunkPointId(documentId, 0)])).length > 0;
    },

    /** Every point (payload only, unless `withVectors`), a page at a time, in id order: for comparing or copying whole stores. */
    scrollAll: (pageSize = 1000, withVectors = false) => scrollPages(undefined, pageSize, withVectors),

    /** The points of these documents (payload only). */
    async forDocuments(documentIds: readonly string[]): Promise<ChunkPoint[]> {
      if (documentIds.length === 0) return [];
      const points: ChunkPoint[] = [];
      for await (const page of scrollPages({ must: [{ key: 'document_id', match: { any: [...documentIds] } }] }, 1000)) points.push(...page);
      return points;
    },

    /** Runs every search in one Qdrant request (each a fusion of its candidate lists); results in the order of `searches`. */
    async searchMany(searches: readonly ChunkSearch[]): Promise<ScoredChunk[][]> {
      const results = await callQdrant(() => client.queryBatch(collection, { searches: searches.map(toQueryRequest) }));
      return results.map((result) => result.points.map((point) => ({ score: point.score, point: toChunkPoint(point) })));
    },
  };
}

export type ChunkStore = ReturnType<typeof createChunkStore>;

/**
 * One hybrid search: candidates by meaning (dense), by words (sparse, BM25 with IDF) and, when
 * the searcher names entities, by meaning among the chunks that name them; fused by reciprocal rank.
 */
function toQueryRequest({ vector, lexical, entityIds, filter, limit }: ChunkSearch): Schemas['QueryRequest'] {
  const conditions = buildConditions(filter);
  const where = (extra: Schemas['FieldCondition'][] = []) => (conditions.length + extra.length > 0 ? { filter: { must: [...conditions, ...extra] } } : {});
  const prefetch: Schemas['Prefetch'][] = [{ query: [...vector], limit, ...where() }];
  if (lexical.indices.length > 0) prefetch.push({ query: { indices: lexical.indices, values: lexical.values }, using: lexicalVectorName, limit, ...where() });
  if (entityIds.length > 0) prefetch.push({ query: [...vector], limit, ...where([{ key: 'entity_ids', match: { any: [...entityIds] } }]) });
  return { prefetch, query: { fusion: 'rrf' }, limit, with_payload: true };
}

/** What Qdrant stores for a point: the dense vector unnamed (""), the sparse one by name. */
function pointVectors(point: ChunkPoint): Schemas['VectorStruct'] {
  const dense = point.vector ?? [];
  return point.lexical ? { '': dense, [lexicalVectorName]: point.lexical } : dense;
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
  const named = record.vector !== null && typeof record.vector === 'object' && !Array.isArray(record.vector) ? (record.vector as Record<string, unknown>) : undefined;
  const dense = named ? named[''] : record.vector;
  const lexical = named?.[lexicalVectorName] as SparseVector | undefined;
  const vector = Array.isArray(dense) && typeof dense[0] === 'number' ? (dense as number[]) : undefined;
  return { id: String(record.id), payload: record.payload as unknown as ChunkPayload, ...(vector ? { vector } : {}), ...(lexical ? { lexical } : {}) };
}

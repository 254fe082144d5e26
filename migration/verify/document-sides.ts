import { documentPage, findDocumentsByIds, findQualityByDocumentIds } from '../../subgraphs/operations/store/index.js';
import type { ChunkPoint } from '../../subgraphs/search/store/chunk-store.js';
import { documentsWithChunksInQdrantOnly, readDocumentPage, readDocumentsByIds, type MovedDocument } from '../legacy/document-nodes.js';
import { unplacedRecords } from '../legacy/unplaced-records.js';
import { checksumOf, chunkForm, chunkRecordId, documentForm, documentOfChunk, type RecordForm } from './record-forms.js';
import { emptySide, scanPostgres, unreadable, type DomainSides, type VerifiedStores } from './side-parts.js';

/**
 * The documents domain's sides: a document is its PostgreSQL row and quality against the legacy
 * node and its quality report; a chunk is a Qdrant point against the legacy chunk at the same
 * position, with the entities it mentions. A document ingested during the move has its chunks in
 * Qdrant only (its legacy node keeps their count): they are not compared.
 */

const pageSize = 200;
const pointForm = (point: ChunkPoint) => chunkForm({ documentId: point.payload.document_id, index: point.payload.chunk_index, text: point.payload.chunk_text, entityIds: point.payload.entity_ids });
const legacyChunkForms = (moved: MovedDocument) => moved.chunks.map((chunk) => [chunkRecordId(moved.document.id, chunk.index), chunkForm({ documentId: moved.document.id, ...chunk })] as const);

export function documentSides(deps: VerifiedStores): DomainSides {
  const postgresDocuments = async (ids: readonly string[]) => {
    const [rows, qualities] = await Promise.all([findDocumentsByIds(deps.db, ids), findQualityByDocumentIds(deps.db, ids)]);
    const quality = new Map(qualities.map((row) => [row.documentId, row]));
    return new Map(rows.map((row) => [row.id, documentForm(row, quality.get(row.id) ?? null)]));
  };
  const legacyDocuments = async (ids: readonly string[]) => (await readDocumentsByIds(deps.legacy, ids, deps.format, deps.resolveConcepts)).flatMap((record) => (record.row ? [record.row] : []));

  return {
    kinds: ['document', 'chunk'],
    legacy: async () => {
      const side = emptySide();
      for (let after: string | null = null; ; ) {
        const page = await readDocumentPage(deps.legacy, after, pageSize, deps.format, deps.resolveConcepts);
        if (!page) break;
        after = page.lastKey;
        for (const document of page.documents) {
          if (!document.row) {
            side.unreadable.push(unreadable('document', document));
            continue;
          }
          side.checksums.document.set(document.id, checksumOf(documentForm(document.row.document, document.row.quality)));
          for (const [id, form] of legacyChunkForms(document.row)) side.checksums.chunk.set(id, checksumOf(form));
        }
      }
      side.unreadable.push(...(await unplacedRecords(deps.legacy, 'documents')));
      return side;
    },
    postgres: async () => {
      const side = emptySide();
      const rows: { id: string }[] = [];
      await scanPostgres((after) => documentPage(deps.db, after, pageSize * 5), (row) => rows.push(row));
      for (let start = 0; start < rows.length; start += pageSize * 5) {
        for (const [id, form] of await postgresDocuments(rows.slice(start, start + pageSize * 5).map((row) => row.id))) side.checksums.document.set(id, checksumOf(form));
      }
      // documents ingested during the move keep their chunks in Qdrant only (by design): legacy has none to compare them with
      const qdrantOnly = await documentsWithChunksInQdrantOnly(deps.legacy);
      for await (const points of deps.search.chunks.scrollAll()) {
        for (const point of points.filter((one) => !qdrantOnly.has(one.payload.document_id))) side.checksums.chunk.set(chunkRecordId(point.payload.document_id, point.payload.chunk_index), checksumOf(pointForm(point)));
      }
      return side;
    },
    forms: async (store, kind, ids) => {
      if (kind === 'document') return store === 'postgres' ? postgresDocuments(ids) : new Map((await legacyDocuments(ids)).map((moved) => [moved.document.id, documentForm(moved.document, moved.quality)]));
      const wanted = new Set(ids);
      const documentIds = [...new Set(ids.map(documentOfChunk))];
      const forms: (readonly [string, RecordForm])[] =
        store === 'postgres'
          ? (await deps.search.chunks.forDocuments(documentIds)).map((point) => [chunkRecordId(point.payload.document_id, point.payload.chunk_index), pointForm(point)])
          : (await legacyDocuments(documentIds)).flatMap((moved) => legacyChunkForms(moved));
      return new Map(forms.filter(([id]) => wanted.has(id)));
    },
  };
}

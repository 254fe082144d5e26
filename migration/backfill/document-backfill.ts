import { copyDocuments } from '../../subgraphs/operations/store/index.js';
import { linkDocumentMentions } from '../../subgraphs/knowledge/store/document-mentions.js';
import { embedChunks, replaceDocumentChunks, toChunkPoints, type PreparedChunk } from '../../subgraphs/search/ingest/chunk-points.js';
import type { EntityPayload } from '../../subgraphs/search/store/entity-store.js';
import { readDocumentPage, type MovedDocument } from '../legacy/document-nodes.js';
import { countLegacyRecords } from '../legacy/record-counts.js';
import { unplacedRecords } from '../legacy/unplaced-records.js';
import { refusalOf } from '../postgres-errors.js';
import type { ReportedRecord } from '../store/backfill-store.js';
import type { MigrationToolkit } from '../toolkit.js';
import { chunkRecordId } from '../verify/record-forms.js';
import { writeBisecting, type BackfillDomain } from './backfill-domain.js';

/**
 * Documents, legacy → PostgreSQL (the row and its quality) and Qdrant (every chunk re-embedded,
 * at its legacy position), and their mentions → the knowledge graph (which documents name an
 * entity). Qdrant and the knowledge graph are written inside the batch's PostgreSQL transaction,
 * before it commits: a run killed in between writes the same points again (their ids are
 * stable), so a document is never in PostgreSQL without its chunks. A document PostgreSQL already
 * has (ingested anew, or an earlier run) is left as it is, chunks included.
 */

interface DocumentPage {
  documents: MovedDocument[];
  read: number;
  reported: ReportedRecord[];
}

const problemReport = (id: string, problems: { field: string; reason: string }[]): ReportedRecord => ({
  recordKind: 'document', recordId: id, fields: problems.map((problem) => problem.field), reason: problems.map((problem) => `${problem.field} ${problem.reason}`).join('; '),
});

/** Chunks naming extracted entities the knowledge graph lacks: they move, without those links. */
export function unresolvedMentionReports(moved: MovedDocument): ReportedRecord[] {
  return moved.unresolved.map((chunk) => ({
    recordKind: 'chunk', recordId: chunkRecordId(moved.document.id, chunk.index), fields: ['mentions'],
    reason: `names ${chunk.count} extracted ${chunk.count === 1 ? 'entity' : 'entities'} the knowledge graph does not hold: moved without ${chunk.count === 1 ? 'that link' : 'those links'}`,
  }));
}

type DocumentStores = Pick<MigrationToolkit, 'legacy' | 'format' | 'resolveConcepts' | 'knowledge' | 'search'>;

/**
 * Writes documents' chunks to Qdrant (embedded again where their text changed) and links their
 * mentions in the knowledge graph; an entity's type and layer come from the entity index.
 */
export function documentChunkWriter(kit: DocumentStores): (documents: readonly MovedDocument[]) => Promise<void> {
  let dictionary: Promise<Map<string, EntityPayload>> | undefined;
  const entitiesById = () => (dictionary ??= kit.search.entities.listAll().then((entities) => new Map(entities.map((entity) => [entity.entity_id, entity]))));
  return async (documents) => {
    // without legacy chunks there is nothing to embed or link
    if (documents.every((moved) => moved.chunks.length === 0)) return;
    await kit.search.ensureCollections();
    const known = await entitiesById();
    // a document without legacy chunks keeps what Qdrant has (ingested during the move, its chunks went there only)
    for (const moved of documents.filter((one) => one.chunks.length > 0)) {
      const prepared: PreparedChunk[] = moved.chunks.map((chunk) => ({
        index: chunk.index, text: chunk.text, headings: [],
        entities: chunk.entityIds.map((id) => ({ id, type: known.get(id)?.type ?? 'UNKNOWN', layer: known.get(id)?.layer ?? 'PERCEPTION' })),
      }));
      const embedded = await embedChunks(kit.search, moved.document.id, moved.document.title, prepared);
      await replaceDocumentChunks(kit.search.chunks, moved.document.id, toChunkPoints(moved.document.id, embedded, moved.quality?.compositeScore ?? null, moved.document.createdAt.toISOString()));
    }
    await linkDocumentMentions(kit.knowledge, documents.map((moved) => ({ documentId: moved.document.id, entityIds: moved.chunks.flatMap((chunk) => chunk.entityIds) })));
  };
}

export function documentBackfill(kit: DocumentStores): BackfillDomain<DocumentPage> {
  const writeChunks = documentChunkWriter(kit);

  return {
    domain: 'documents',
    countLegacy: async () => (await countLegacyRecords(kit.legacy)).documents,
    readPage: async (after, size) => {
      const read = await readDocumentPage(kit.legacy, after, size, kit.format, kit.resolveConcepts);
      if (!read) return undefined;
      const page: DocumentPage = { documents: [], read: read.documents.length, reported: [] };
      for (const document of read.documents) {
        if (document.row) page.documents.push(document.row);
        else page.reported.push(problemReport(document.id, document.problems));
      }
      return { page, lastKey: read.lastKey };
    },
    writePage: async (tx, page) => {
      const reported = [...page.reported];
      const copied = await writeBisecting(tx, page.documents, (sp, rows) => copyDocuments(sp, rows), (moved, error) => reported.push(refusalOf(error, { recordKind: 'document', recordId: moved.document.id })));
      const inserted = new Set(copied.flat());
      const fresh = page.documents.filter((moved) => inserted.has(moved.document.id));
      await writeChunks(fresh);
      reported.push(...fresh.flatMap(unresolvedMentionReports));
      const refused = reported.filter((record) => record.reason.startsWith('PostgreSQL refused')).length;
      return { read: page.read, moved: fresh.length, unchanged: page.documents.length - fresh.length - refused, reported };
    },
    unplaced: () => unplacedRecords(kit.legacy, 'documents'),
  };
}

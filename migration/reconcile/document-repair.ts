import { copyDocuments, findDocumentsByIds, findQualityByDocumentIds } from '../../subgraphs/operations/store/index.js';
import { documentChunkWriter } from '../backfill/document-backfill.js';
import { writeLegacy } from '../legacy/driver.js';
import { readDocumentsByIds, writeDocumentNodes, type MovedDocument } from '../legacy/document-nodes.js';
import type { MigrationToolkit } from '../toolkit.js';
import { inBatches } from '../batches.js';

/**
 * Reconcile's repairs of documents, a whole document at a time (its row, quality and every
 * chunk), whether the document or one of its chunks differs: from legacy to PostgreSQL and
 * Qdrant, or from them back to legacy as the legacy application would have written it.
 */


export async function documentsToPostgres(kit: MigrationToolkit, documentIds: readonly string[]): Promise<void> {
  const writeChunks = documentChunkWriter(kit);
  for (const ids of inBatches([...new Set(documentIds)], 50)) {
    const moved = (await readDocumentsByIds(kit.legacy, ids, kit.format, kit.resolveConcepts)).flatMap((record) => (record.row ? [record.row] : []));
    await kit.db.transaction(async (tx) => {
      await copyDocuments(tx, moved, 'replace');
      await writeChunks(moved);
    });
  }
}

/** PostgreSQL's documents with their Qdrant chunks, in the legacy shape. */
async function postgresDocuments(kit: MigrationToolkit, ids: readonly string[]): Promise<MovedDocument[]> {
  const [rows, qualities, points] = await Promise.all([findDocumentsByIds(kit.db, ids), findQualityByDocumentIds(kit.db, ids), kit.search.chunks.forDocuments(ids)]);
  return rows.map((document) => ({
    document,
    quality: qualities.find((quality) => quality.documentId === document.id) ?? null,
    chunks: points
      .filter((point) => point.payload.document_id === document.id)
      .sort((a, b) => a.payload.chunk_index - b.payload.chunk_index)
      .map((point) => ({ index: point.payload.chunk_index, text: point.payload.chunk_text, entityIds: point.payload.entity_ids })),
    unresolved: [],
  }));
}

export async function documentsToLegacy(kit: MigrationToolkit, documentIds: readonly string[]): Promise<void> {
  for (const ids of inBatches([...new Set(documentIds)], 50)) {
    const documents = await postgresDocuments(kit, ids);
    await writeLegacy(kit.legacy, async (tx) => {
      for (const moved of documents) await writeDocumentNodes(tx, moved, kit.format);
    });
  }
}

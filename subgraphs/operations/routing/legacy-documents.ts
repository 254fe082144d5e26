import type { Driver } from 'neo4j-driver';
import { compareInstants, preciseNow } from '../../../lib/precise-time.js';
import { lockDocumentNode, readAllDocuments, readDocumentsByIds, writeDocumentNode, type MovedDocument } from '../../../migration/legacy/document-nodes.js';
import type { LegacyFormat } from '../../../migration/legacy/legacy-format.js';
import type { ConceptResolver } from '../../../migration/legacy/message-reads.js';
import type { KeysetCursor } from '../paging/cursor.js';
import { ingestionActor, type DocumentQualityRow, type DocumentRow, type DocumentStatus, type IngestOutcome } from '../store/index.js';
import { legacyWriter, rowsOf, type LegacyTransaction, type PostgresChangeFeed } from './legacy-stores.js';
import type { DocumentStore } from './ports.js';

/**
 * Documents in the legacy store during the move: their nodes and quality reports, read and
 * written as the legacy application did. Ingestion writes chunks to Qdrant at every stage; a
 * document's node then keeps their count. Each ingest result is applied once: its event id is
 * recorded in the same transaction, as a node of the migration's own.
 */

const newestFirst = (a: DocumentRow, b: DocumentRow) => compareInstants(b.createdAt, a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
const beforeCursor = (after: KeysetCursor | undefined) => (row: DocumentRow) => !after || compareInstants(row.createdAt, after.at) < 0 || (compareInstants(row.createdAt, after.at) === 0 && row.id < after.id);

/** The state an ingest result leaves a document in, or undefined when it changes nothing (a late `started`). */
function afterOutcome(current: MovedDocument, outcome: IngestOutcome): { document: DocumentRow; quality: DocumentQualityRow | null } | undefined {
  const updatedAt = preciseNow();
  if (outcome.kind === 'started') return current.document.status === 'pending' ? { document: { ...current.document, status: 'processing', updatedAt }, quality: current.quality } : undefined;
  if (outcome.kind === 'failed') return { document: { ...current.document, status: 'failed', failureReason: outcome.reason, updatedAt }, quality: current.quality };
  return {
    document: { ...current.document, status: 'completed', chunkCount: outcome.chunkCount, failureReason: null, updatedAt },
    quality: { documentId: current.document.id, ...outcome.quality, assessedAt: updatedAt },
  };
}

async function claimEvent(tx: LegacyTransaction, eventId: string): Promise<boolean> {
  const result = await tx.run('MERGE (e:MigrationAppliedEvent {event_id: $eventId}) ON CREATE SET e.fresh = true WITH e, coalesce(e.fresh, false) AS fresh REMOVE e.fresh RETURN fresh', { eventId });
  return result.records[0]?.get('fresh') === true;
}

export function legacyDocumentStore(driver: Driver, format: LegacyFormat, resolveConcepts: ConceptResolver, feed: PostgresChangeFeed): DocumentStore {
  const write = legacyWriter(driver, feed);
  const moved = async (ids: readonly string[]) => rowsOf('document', await readDocumentsByIds(driver, ids, format, resolveConcepts));
  const matching = async (status: DocumentStatus | null | undefined) =>
    rowsOf('document', await readAllDocuments(driver, format, resolveConcepts))
      .map((one) => one.document)
      .filter((row) => !status || row.status === status);
  return {
    documentsByIds: async (ids) => (await moved(ids)).map((one) => one.document),
    qualityByDocumentIds: async (ids) => (await moved(ids)).flatMap((one) => (one.quality ? [one.quality] : [])),
    listDocuments: async (status, limit, after) => (await matching(status)).filter(beforeCursor(after)).sort(newestFirst).slice(0, limit),
    countDocuments: async (status) => (await matching(status)).length,
    createDocument: (actor, input, toEvent) =>
      write('documents', actor, async (tx) => {
        const now = preciseNow();
        const row: DocumentRow = { ...input, externalId: null, status: 'pending', chunkCount: 0, ingestAttempt: 1, failureReason: null, createdAt: now, updatedAt: now };
        await writeDocumentNode(tx, row, null, format);
        return { row, aggregate: row.id, change: { kind: 'document.upsert', document: row, quality: null }, audit: { action: 'document.ingest', entityType: 'document', entityId: row.id, newValue: row }, events: [toEvent(row)] };
      }),
    applyIngestOutcome: (eventId, documentId, outcome) =>
      write<boolean>('documents', ingestionActor, async (tx) => {
        // a result for a document this store does not hold (yet) stays unclaimed
        const current = await lockDocumentNode(tx, documentId, format, resolveConcepts);
        if (!current || !(await claimEvent(tx, eventId))) return { unchanged: false };
        const next = afterOutcome(rowsOf('document', [current])[0] as MovedDocument, outcome);
        if (!next) return { unchanged: false };
        await writeDocumentNode(tx, next.document, next.quality, format);
        return { row: true, aggregate: documentId, change: { kind: 'document.upsert', ...next }, audit: { action: `document.ingest.${outcome.kind}`, entityType: 'document', entityId: documentId, newValue: next.document } };
      }),
  };
}

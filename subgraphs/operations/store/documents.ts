import { and, eq, inArray, sql } from 'drizzle-orm';
import type { KeysetCursor } from '../paging/cursor.js';
import { writeAudit, type Actor, type WithinChange } from './audit.js';
import type { Database, Executor } from './db.js';
import { countWhere, newestFirst } from './paging.js';
import type { DocumentStatus } from './schema/columns.js';
import { documentQuality, documents } from './schema/index.js';
import { anyOf } from './any-of.js';
import { preparedPerExecutor } from './prepared.js';

export type DocumentRow = typeof documents.$inferSelect;
export type DocumentQualityRow = typeof documentQuality.$inferSelect;

const documentsByIds = preparedPerExecutor((db) => db.select().from(documents).where(anyOf(documents.id, sql.placeholder('ids'))).prepare('documents_by_ids'));
const qualityByDocumentIds = preparedPerExecutor((db) => db.select().from(documentQuality).where(anyOf(documentQuality.documentId, sql.placeholder('ids'))).prepare('quality_by_document_ids'));

export function findDocumentsByIds(db: Executor, ids: readonly string[]): Promise<DocumentRow[]> {
  return documentsByIds(db).execute({ ids: [...ids] });
}

export function findQualityByDocumentIds(db: Executor, ids: readonly string[]): Promise<DocumentQualityRow[]> {
  return qualityByDocumentIds(db).execute({ ids: [...ids] });
}

const statusFilter = (status: DocumentStatus | null | undefined) => (status ? eq(documents.status, status) : undefined);

/** Newest first; up to `limit` rows after the cursor. */
export function listDocuments(db: Executor, status: DocumentStatus | null | undefined, limit: number, after?: KeysetCursor): Promise<DocumentRow[]> {
  const page = newestFirst(documents.createdAt, documents.id, after);
  return db.select().from(documents).where(and(statusFilter(status), page.before)).orderBy(...page.order).limit(limit);
}

export function countDocuments(db: Executor, status: DocumentStatus | null | undefined): Promise<number> {
  return countWhere(db, documents, statusFilter(status));
}

export interface NewDocument {
  id: string;
  filename: string;
  title: string | null;
  source: string | null;
}

/** A document's state: what a dual-write change carries. */
export interface DocumentState {
  document: DocumentRow;
  quality: DocumentQualityRow | null;
}

/** The row (PENDING) and its audit entry in one transaction, with what `within` adds (the ingest request event). */
export function createDocument(db: Database, actor: Actor, input: NewDocument, within?: WithinChange<DocumentState>): Promise<DocumentRow> {
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(documents).values(input).returning();
    if (!created) throw new Error('INSERT INTO documents returned no row');
    const audit = { action: 'document.ingest', entityType: 'document', entityId: created.id, newValue: created };
    await writeAudit(tx, actor, audit);
    await within?.(tx, { document: created, quality: null }, audit);
    return created;
  });
}

export type QualityScores = Omit<DocumentQualityRow, 'documentId' | 'assessedAt'>;

/** Who changes a document when ingestion reports (the audit's actor). */
export const ingestionActor: Actor = { sub: 'service:search-ingestion', role: 'service' };

/** What a result event of the search subgraph does to a document. */
export type IngestOutcome =
  | { kind: 'started' }
  | { kind: 'completed'; chunkCount: number; quality: QualityScores }
  | { kind: 'failed'; reason: string };

/**
 * Applies one result event exactly once in effect: the event id is recorded in the same
 * transaction, so a redelivery changes nothing. A late `started` never reopens a finished
 * document. Returns false when the event was already applied or names no known document.
 */
export function applyIngestOutcome(db: Database, eventId: string, documentId: string, outcome: IngestOutcome, within?: WithinChange<DocumentState>): Promise<boolean> {
  return db.transaction(async (tx) => {
    const announce = async (applied: boolean) => {
      if (!applied) return false;
      const [document] = await findDocumentsByIds(tx, [documentId]);
      const [quality] = await findQualityByDocumentIds(tx, [documentId]);
      if (!document) return false;
      const audit = { action: `document.ingest.${outcome.kind}`, entityType: 'document', entityId: documentId, newValue: document };
      await writeAudit(tx, ingestionActor, audit);
      await within?.(tx, { document, quality: quality ?? null }, audit);
      return true;
    };
    // a result for a document this store does not hold (yet: its creation is on its way from the other store) stays unclaimed
    const [known] = await tx.select({ id: documents.id }).from(documents).where(eq(documents.id, documentId)).for('update');
    if (!known) return false;
    const fresh = await tx.execute(sql`INSERT INTO processed_events (event_id) VALUES (${eventId}) ON CONFLICT DO NOTHING RETURNING event_id`);
    if (fresh.rows.length === 0) return false;
    const now = sql`now()`;
    if (outcome.kind === 'started') {
      const updated = await tx
        .update(documents)
        .set({ status: 'processing', updatedAt: now })
        .where(and(eq(documents.id, documentId), eq(documents.status, 'pending')))
        .returning({ id: documents.id });
      return announce(updated.length > 0);
    }
    if (outcome.kind === 'failed') {
      const updated = await tx
        .update(documents)
        .set({ status: 'failed', failureReason: outcome.reason, updatedAt: now })
        .where(eq(documents.id, documentId))
        .returning({ id: documents.id });
      return announce(updated.length > 0);
    }
    const updated = await tx
      .update(documents)
      .set({ status: 'completed', chunkCount: outcome.chunkCount, failureReason: null, updatedAt: now })
      .where(eq(documents.id, documentId))
      .returning({ id: documents.id });
    if (updated.length === 0) return false;
    const values = { documentId, ...outcome.quality, assessedAt: new Date() };
    await tx.insert(documentQuality).values(values).onConflictDoUpdate({ target: documentQuality.documentId, set: values });
    return announce(true);
  });
}

/**
 * Documents from the legacy store with their quality (the backfill, and reconcile's repairs).
 * `insert-missing`: a document already there stays as it is; `replace`: it takes legacy's state.
 * Returns the ids written.
 */
export async function copyDocuments(tx: Executor, rows: readonly { document: DocumentRow; quality: DocumentQualityRow | null }[], mode: 'insert-missing' | 'replace' = 'insert-missing'): Promise<string[]> {
  if (rows.length === 0) return [];
  const insert = tx.insert(documents).values(rows.map((row) => ({ ...row.document })));
  const excluded = (column: string) => sql.raw(`excluded.${column}`);
  const written = (
    mode === 'insert-missing'
      ? await insert.onConflictDoNothing({ target: documents.id }).returning({ id: documents.id })
      : await insert
          .onConflictDoUpdate({
            target: documents.id,
            set: {
              filename: excluded('filename'), title: excluded('title'), source: excluded('source'), status: excluded('status'), chunkCount: excluded('chunk_count'),
              ingestAttempt: excluded('ingest_attempt'), failureReason: excluded('failure_reason'), createdAt: excluded('created_at'), updatedAt: excluded('updated_at'),
            },
          })
          .returning({ id: documents.id })
  ).map((row) => row.id);
  const fresh = new Set(written);
  if (mode === 'replace') await tx.delete(documentQuality).where(inArray(documentQuality.documentId, written));
  const qualities = rows.flatMap((row) => (row.quality && fresh.has(row.document.id) ? [{ ...row.quality }] : []));
  if (qualities.length > 0) await tx.insert(documentQuality).values(qualities);
  return written;
}

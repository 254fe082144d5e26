import {
  applyIngestOutcome, countDocuments, createDocument, findDocumentsByIds, findQualityByDocumentIds, listDocuments, ingestionActor, type Database, type DocumentState, type OutboxEvent,
} from '../store/index.js';
import type { DocumentStore } from './ports.js';
import { postgresWriter, type LegacyChangeQueue } from './postgres-stores.js';

/** Documents in PostgreSQL, recording their changes (row and quality) for the legacy store while it receives writes. */
export function postgresDocumentStore(db: Database, queue: LegacyChangeQueue, publishNow: (events: readonly OutboxEvent[]) => Promise<void>): DocumentStore {
  const write = postgresWriter(queue, publishNow);
  const change = (state: DocumentState) => ({ aggregate: state.document.id, change: { kind: 'document.upsert', ...state } as const });
  return {
    documentsByIds: (ids) => findDocumentsByIds(db, ids),
    qualityByDocumentIds: (ids) => findQualityByDocumentIds(db, ids),
    listDocuments: (status, limit, after) => listDocuments(db, status, limit, after),
    countDocuments: (status) => countDocuments(db, status),
    createDocument: (actor, input, toEvent) => write('documents', actor, change, (within) => createDocument(db, actor, input, within), (state) => [toEvent(state.document)]),
    applyIngestOutcome: (eventId, documentId, outcome) => write('documents', ingestionActor, change, (within) => applyIngestOutcome(db, eventId, documentId, outcome, within)),
  };
}

import { stagePlan, type DomainStage, type MigrationDomain, type Store } from '../../../migration/stages/stage-rules.js';
import type { DocumentQualityRow } from '../store/index.js';
import type { DocumentStore } from './ports.js';
import { compareRows, type ShadowOutcome, type ShadowReader } from './shadow-reads.js';

/**
 * Documents routed by the `documents` stage: written to the authoritative store, read from the
 * one the stage names (documents have no patient: at `live` every document is read from
 * PostgreSQL, whatever the rollout), compared with the other at `shadow` and `live`.
 */

export interface DocumentRouting {
  stage(domain: MigrationDomain): DomainStage;
  postgres: DocumentStore;
  legacy: DocumentStore;
  shadow: ShadowReader;
  catchUp(aggregate: string, into: Store): Promise<void>;
}

/** Fields one store keeps and the other does not (the legacy id as external id, the time of the last change). */
const unshared = ['externalId', 'updatedAt'];
const qualityRows = (rows: readonly DocumentQualityRow[]) => rows.map(({ assessedAt: _assessedAt, ...scores }) => ({ id: scores.documentId, ...scores }));
const countOutcome = (what: string, a: number, b: number): ShadowOutcome => ({ domain: 'documents', fields: ['count'], mismatches: a === b ? [] : [{ recordId: `count:${what}`, fields: ['count'] }], matchedRecords: a === b ? 1 : 0 });

export function routedDocuments(options: DocumentRouting): DocumentStore {
  const store = (name: Store) => (name === 'legacy' ? options.legacy : options.postgres);
  const plan = () => stagePlan(options.stage('documents').stage);
  async function read<T>(work: (documents: DocumentStore) => Promise<T>, compare: (served: T, other: T) => ShadowOutcome): Promise<T> {
    const current = plan();
    const served: Store = current.reads === 'legacy' ? 'legacy' : 'postgres';
    const answer = await work(store(served));
    if (current.compare) options.shadow.compare('documents', answer, () => work(store(served === 'legacy' ? 'postgres' : 'legacy')), compare);
    return answer;
  }
  return {
    documentsByIds: (ids) => read((documents) => documents.documentsByIds(ids), (a, b) => compareRows('documents', a, b, unshared)),
    qualityByDocumentIds: (ids) => read((documents) => documents.qualityByDocumentIds(ids), (a, b) => compareRows('documents', qualityRows(a), qualityRows(b))),
    listDocuments: (status, limit, after) => read((documents) => documents.listDocuments(status, limit, after), (a, b) => compareRows('documents', a, b, unshared)),
    countDocuments: (status) => read((documents) => documents.countDocuments(status), (a, b) => countOutcome(status ?? 'all', a, b)),
    createDocument: (actor, input, toEvent) => store(plan().authoritative).createDocument(actor, input, toEvent),
    // a result for a document created moments ago through a replica that had the other store decide: caught up first
    applyIngestOutcome: async (eventId, documentId, outcome) => {
      const current = plan();
      const applied = await store(current.authoritative).applyIngestOutcome(eventId, documentId, outcome);
      if (applied || !current.dualWrite) return applied;
      await options.catchUp(documentId, current.authoritative);
      return store(current.authoritative).applyIngestOutcome(eventId, documentId, outcome);
    },
  };
}

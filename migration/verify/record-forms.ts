import { createHash } from 'node:crypto';
import { exactIso } from '../../lib/precise-time.js';
import type { DocumentQualityRow, DocumentRow, FeedbackRow, MessageRow, SessionRow } from '../../subgraphs/operations/store/index.js';

/**
 * The fields both stores must agree on, normalised the same way on each side (times as exact
 * ISO instants, lists as lists), and a checksum of them. A session's message count and last
 * activity are left out: they derive from its messages, which are compared themselves.
 */

export type RecordKind = 'session' | 'message' | 'feedback' | 'document' | 'chunk';
export const recordKinds: readonly RecordKind[] = ['session', 'message', 'feedback', 'document', 'chunk'];
export type RecordForm = Record<string, unknown>;

const time = (value: Date | null) => (value === null ? null : exactIso(value));

export function sessionForm(row: SessionRow): RecordForm {
  return { id: row.id, patientId: row.patientId, title: row.title, status: row.status, device: row.device, createdAt: time(row.createdAt), endedAt: time(row.endedAt) };
}

export function messageForm(row: MessageRow): RecordForm {
  return {
    id: row.id, sessionId: row.sessionId, patientId: row.patientId, role: row.role, content: row.content, responseId: row.responseId, confidence: row.confidence,
    queryTimeSeconds: row.queryTimeSeconds, sources: row.sources, reasoningTrail: row.reasoningTrail, relatedConcepts: row.relatedConcepts, createdAt: time(row.createdAt),
  };
}

export function feedbackForm(row: FeedbackRow): RecordForm {
  return {
    id: row.id, responseId: row.responseId, sessionId: row.sessionId, patientId: row.patientId, actor: row.actor, queryText: row.queryText, responseText: row.responseText,
    rating: row.rating, feedbackType: row.feedbackType, severity: row.severity, correction: row.correction, entityIds: row.entityIds, layersTraversed: row.layersTraversed, createdAt: time(row.createdAt),
  };
}

/** A document's state changes with its ingestion (`updated_at`): compared are what it is, its chunk count and its quality. */
export function documentForm(row: DocumentRow, quality: DocumentQualityRow | null): RecordForm {
  return {
    id: row.id, filename: row.filename, title: row.title, source: row.source, status: row.status, chunkCount: row.chunkCount, createdAt: time(row.createdAt),
    quality: quality && {
      informationDensity: quality.informationDensity, structuralClarity: quality.structuralClarity, entityCoherence: quality.entityCoherence,
      contextSufficiency: quality.contextSufficiency, contextualRelevancy: quality.contextualRelevancy, compositeScore: quality.compositeScore, assessedAt: time(quality.assessedAt),
    },
  };
}

/** How reports and verifications name a chunk: its document and position (Qdrant keeps no legacy chunk id). */
export const chunkRecordId = (documentId: string, index: number) => `${documentId}#${index}`;
export const documentOfChunk = (recordId: string) => recordId.slice(0, recordId.lastIndexOf('#'));

/** A chunk at its position: its text and the entities it mentions (as a set). */
export function chunkForm(chunk: { documentId: string; index: number; text: string; entityIds: readonly string[] }): RecordForm {
  return { documentId: chunk.documentId, index: chunk.index, text: chunk.text, entityIds: [...new Set(chunk.entityIds)].sort() };
}

/** JSON with keys in one order at every depth: equal values give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  return JSON.stringify(value ?? null);
}

export function checksumOf(form: RecordForm): string {
  return createHash('sha256').update(canonical(form)).digest('hex').slice(0, 32);
}

/** The fields whose values differ between two forms of one record. */
export function differingFields(left: RecordForm, right: RecordForm): string[] {
  return [...new Set([...Object.keys(left), ...Object.keys(right)])].filter((key) => canonical(left[key]) !== canonical(right[key])).sort();
}

/** One checksum over every record's id and checksum, in id order: equal when both stores hold the same records. */
export function aggregateOf(checksums: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const id of [...checksums.keys()].sort()) hash.update(`${id}:${checksums.get(id)}\n`);
  return hash.digest('hex').slice(0, 32);
}

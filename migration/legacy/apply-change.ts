import type { ManagedTransaction } from 'neo4j-driver';
import type { Change } from '../changes.js';
import { writeDocumentNode } from './document-nodes.js';
import { writeFeedbackNode } from './feedback-nodes.js';
import type { LegacyFormat } from './legacy-format.js';
import { writeMessageNode, writeSessionNode } from './session-writes.js';

/** A change PostgreSQL committed, applied to the legacy store: idempotent (MERGE of the full state). */
export async function applyChangeToLegacy(tx: ManagedTransaction, change: Change, format: LegacyFormat): Promise<void> {
  if (change.kind === 'session.upsert') return writeSessionNode(tx, change.session, format);
  if (change.kind === 'feedback.insert') return writeFeedbackNode(tx, change.feedback);
  if (change.kind === 'document.upsert') return writeDocumentNode(tx, change.document, change.quality, format);
  const session = await tx.run('MATCH (s:ConversationSession {id: $id}) RETURN s.id', { id: change.message.sessionId });
  // a message must never vanish because its session is not there: the relay reports and retries
  if (session.records.length === 0) throw new Error(`session ${change.message.sessionId} of message ${change.message.id} is not in the legacy store`);
  return writeMessageNode(tx, change.message, format);
}

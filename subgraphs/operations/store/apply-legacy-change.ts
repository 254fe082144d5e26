import { writeAudit, type Actor, type AuditEntry } from './audit.js';
import { copyFeedback, copyMessages, copySessions } from './copied-rows.js';
import type { Executor } from './db.js';
import { copyDocuments, type DocumentQualityRow, type DocumentRow } from './documents.js';
import type { FeedbackRow } from './schema/index.js';
import type { MessageRow } from './messages.js';
import type { SessionRow } from './sessions.js';

/** What a change of the legacy store (authoritative) brings to PostgreSQL. */
export type LegacyChangeData =
  | { kind: 'session.upsert'; session: SessionRow }
  | { kind: 'message.insert'; message: MessageRow; session: SessionRow }
  | { kind: 'feedback.insert'; feedback: FeedbackRow }
  | { kind: 'document.upsert'; document: DocumentRow; quality: DocumentQualityRow | null };

/**
 * Applies one legacy change inside the caller's transaction: its rows (when they go to
 * PostgreSQL at this stage) and its audit entry. The caller has claimed the change id, so it
 * is applied once.
 */
export async function applyLegacyChange(tx: Executor, data: LegacyChangeData | null, audit: { actor: Actor; entry: AuditEntry }): Promise<void> {
  if (data?.kind === 'session.upsert') await copySessions(tx, [data.session], 'replace');
  if (data?.kind === 'message.insert') {
    await copySessions(tx, [data.session], 'replace');
    await copyMessages(tx, [data.message]);
  }
  if (data?.kind === 'feedback.insert') await copyFeedback(tx, [data.feedback]);
  if (data?.kind === 'document.upsert') await copyDocuments(tx, [{ document: data.document, quality: data.quality }], 'replace');
  await writeAudit(tx, audit.actor, audit.entry);
}

import type { BackfillRow } from '../store/backfill-store.js';
import type { MigrationDomain } from '../stages/stage-rules.js';
import type { MigrationToolkit } from '../toolkit.js';
import { documentBackfill } from './document-backfill.js';
import { feedbackBackfill } from './feedback-backfill.js';
import { runBackfill, type BackfillOptions } from './run-backfill.js';
import { sessionBackfill } from './session-backfill.js';

/**
 * Batches are sized in sessions (each with its messages): a batch of feedback is a fifth of the
 * work of one session, a document (its chunks embedded) about five times it.
 */
export function batchSizeFor(domain: MigrationDomain, sessions: number): number {
  if (domain === 'feedback') return sessions * 5;
  if (domain === 'documents') return Math.max(1, Math.ceil(sessions / 5));
  return sessions;
}

/** One domain's backfill, with batches of `options.batchSize` sessions' worth of work. */
export function backfillDomain(kit: MigrationToolkit, domain: MigrationDomain, options: BackfillOptions): Promise<BackfillRow> {
  const sized = { ...options, batchSize: batchSizeFor(domain, options.batchSize) };
  if (domain === 'sessions') return runBackfill(kit.db, sessionBackfill(kit.legacy, kit.format, kit.resolveConcepts), sized);
  if (domain === 'feedback') return runBackfill(kit.db, feedbackBackfill(kit.legacy, kit.format), sized);
  return runBackfill(kit.db, documentBackfill(kit), sized);
}

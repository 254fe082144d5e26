import { copyConversations, copyFeedback, copySessions, findFeedbackByIds, findMessagesByIds, findSessionsByIds } from '../../subgraphs/operations/store/index.js';
import { writeLegacy } from '../legacy/driver.js';
import { readFeedbackByIds } from '../legacy/feedback-nodes.js';
import { readMessagesByIds } from '../legacy/message-reads.js';
import { readSessionsByIds } from '../legacy/session-reads.js';
import { writeFeedbackNode } from '../legacy/feedback-nodes.js';
import { writeMessageNode, writeSessionNode } from '../legacy/session-writes.js';
import { stagePlan, type MigrationDomain } from '../stages/stage-rules.js';
import { readStoredStages } from '../store/stage-store.js';
import type { MigrationToolkit } from '../toolkit.js';
import { documentOfChunk, type RecordKind } from '../verify/record-forms.js';
import { documentsToLegacy, documentsToPostgres } from './document-repair.js';
import { verifyDomain, type VerificationReport } from '../verify/verify-domain.js';
import { inBatches } from '../batches.js';

/**
 * Repairs what a verification found, from the authoritative store of the domain's stage (documents
 * with their chunks and quality: document-repair.ts):
 * legacy → PostgreSQL while legacy decides (missing records copied, a session's differing
 * state replaced), PostgreSQL → legacy once PostgreSQL decides (records written only to
 * PostgreSQL, and differing ones, written to legacy as the legacy application would have).
 * What it must not repair is listed, never deleted: records only the other store has, and
 * messages or feedback that differ (they never change once written: a difference is a fault
 * to look into, not a state to overwrite).
 */

export type Direction = 'to-postgres' | 'to-legacy';

export interface ReconcileOutcome {
  domain: MigrationDomain;
  direction: Direction;
  dryRun: boolean;
  repaired: { kind: RecordKind; id: string; action: 'copied' | 'replaced' }[];
  left: { kind: RecordKind; id: string; why: string }[];
  /** The verification after the repair (or before it, in a dry run). */
  verification: VerificationReport;
}


async function toPostgres(kit: MigrationToolkit, kind: RecordKind, missing: string[], differing: string[]): Promise<void> {
  if (kind === 'document' || kind === 'chunk') return documentsToPostgres(kit, [...missing, ...differing].map((id) => (kind === 'chunk' ? documentOfChunk(id) : id)));
  for (const ids of inBatches([...missing, ...differing], 200)) {
    if (kind === 'session') {
      const rows = (await readSessionsByIds(kit.legacy, ids, kit.format.readTime)).flatMap((record) => (record.row ? [record.row] : []));
      await kit.db.transaction(async (tx) => {
        await copySessions(tx, rows.filter((row) => differing.includes(row.id)), 'replace');
        await copyConversations(tx, rows.filter((row) => missing.includes(row.id)), []);
      });
    } else if (kind === 'message') {
      const rows = (await readMessagesByIds(kit.legacy, ids, kit.format, kit.resolveConcepts)).flatMap((record) => (record.row ? [record.row] : []));
      await kit.db.transaction((tx) => copyConversations(tx, [], rows));
    } else {
      const rows = (await readFeedbackByIds(kit.legacy, ids, kit.format)).flatMap((record) => (record.row ? [record.row] : []));
      await kit.db.transaction((tx) => copyFeedback(tx, rows));
    }
  }
}

async function toLegacy(kit: MigrationToolkit, kind: RecordKind, ids: string[]): Promise<void> {
  if (kind === 'document' || kind === 'chunk') return documentsToLegacy(kit, ids.map((id) => (kind === 'chunk' ? documentOfChunk(id) : id)));
  for (const part of inBatches(ids, 200)) {
    if (kind === 'session') {
      const rows = await findSessionsByIds(kit.db, part);
      await writeLegacy(kit.legacy, async (tx) => {
        for (const row of rows) await writeSessionNode(tx, row, kit.format);
      });
    } else if (kind === 'message') {
      const rows = await findMessagesByIds(kit.db, part);
      await writeLegacy(kit.legacy, async (tx) => {
        for (const row of rows) await writeMessageNode(tx, row, kit.format);
      });
    } else {
      const rows = await findFeedbackByIds(kit.db, part);
      await writeLegacy(kit.legacy, async (tx) => {
        for (const row of rows) await writeFeedbackNode(tx, row);
      });
    }
  }
}

export async function reconcileDomain(kit: MigrationToolkit, domain: MigrationDomain, options: { dryRun: boolean; direction?: Direction }): Promise<ReconcileOutcome> {
  const stage = (await readStoredStages(kit.db))[domain]?.stage ?? 'legacy';
  const direction = options.direction ?? (stagePlan(stage).authoritative === 'legacy' ? 'to-postgres' : 'to-legacy');
  const found = await verifyDomain(kit, domain, { sample: 0 });
  const outcome: ReconcileOutcome = { domain, direction, dryRun: options.dryRun, repaired: [], left: [], verification: found };
  // sessions before their messages: a message needs its session in the store it is copied to
  for (const report of found.kinds) {
    const { kind } = report;
    const differing = report.differing.map((difference) => difference.id);
    // messages and feedback never change once written; sessions and documents do (a document is repaired whole)
    const immutable = kind === 'message' || kind === 'feedback';
    if (direction === 'to-postgres') {
      const replaceable = immutable ? [] : differing;
      outcome.repaired.push(...report.missing.map((id) => ({ kind, id, action: 'copied' as const })), ...replaceable.map((id) => ({ kind, id, action: 'replaced' as const })));
      outcome.left.push(...report.extra.map((id) => ({ kind, id, why: 'only PostgreSQL has it, while legacy decides' })));
      if (immutable) outcome.left.push(...differing.map((id) => ({ kind, id, why: `the ${kind} differs, and ${kind}s never change once written` })));
      if (!options.dryRun) await toPostgres(kit, kind, report.missing, replaceable);
    } else {
      const writable = [...report.extra, ...(immutable ? [] : differing)];
      outcome.repaired.push(...report.extra.map((id) => ({ kind, id, action: 'copied' as const })), ...(immutable ? [] : differing).map((id) => ({ kind, id, action: 'replaced' as const })));
      outcome.left.push(...report.missing.map((id) => ({ kind, id, why: 'only legacy has it, while PostgreSQL decides' })));
      if (immutable) outcome.left.push(...differing.map((id) => ({ kind, id, why: `the ${kind} differs, and ${kind}s never change once written` })));
      if (!options.dryRun) await toLegacy(kit, kind, writable);
    }
  }
  if (!options.dryRun && outcome.repaired.length > 0) outcome.verification = await verifyDomain(kit, domain, { sample: 100 });
  return outcome;
}

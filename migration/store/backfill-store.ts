import { and, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../subgraphs/operations/store/index.js';
import type { MigrationDomain } from '../stages/stage-rules.js';
import { migrationBackfills, migrationProblems } from './schema.js';

export type BackfillRow = typeof migrationBackfills.$inferSelect;

/** A record that could not move as it is: its id, the fields at fault and why (never its content). */
export interface ReportedRecord {
  recordKind: string;
  recordId: string;
  fields: string[];
  reason: string;
}

export async function readBackfill(db: Executor, domain: MigrationDomain): Promise<BackfillRow | undefined> {
  const [row] = await db.select().from(migrationBackfills).where(eq(migrationBackfills.domain, domain));
  return row;
}

/**
 * Begins a backfill run, or resumes the unfinished one from its checkpoint. `restart` (or a
 * finished last run) starts over from the first legacy record, with a fresh report.
 */
export async function beginBackfill(db: Database, domain: MigrationDomain, options: { runId: string; batchSize: number; restart: boolean; total: number }): Promise<BackfillRow> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(migrationBackfills).where(eq(migrationBackfills.domain, domain)).for('update');
    const fresh = !current || options.restart || current.status === 'finished';
    if (fresh) await tx.delete(migrationProblems).where(eq(migrationProblems.domain, domain));
    const values = fresh
      ? { domain, runId: options.runId, status: 'running' as const, checkpoint: null, batchSize: options.batchSize, read: 0, moved: 0, unchanged: 0, reported: 0, total: options.total, error: null, startedAt: new Date(), updatedAt: new Date(), finishedAt: null }
      : { ...current, runId: options.runId, status: 'running' as const, batchSize: options.batchSize, total: options.total, error: null, updatedAt: new Date(), finishedAt: null };
    const [row] = await tx.insert(migrationBackfills).values(values).onConflictDoUpdate({ target: migrationBackfills.domain, set: values }).returning();
    if (!row) throw new Error('INSERT INTO migration_backfills returned no row');
    return row;
  });
}

/** Moves the checkpoint past a batch and adds its counts; call in the transaction that wrote the batch. */
export async function commitBatch(tx: Executor, domain: MigrationDomain, runId: string, batch: { checkpoint: string; read: number; moved: number; unchanged: number; reported: ReportedRecord[] }): Promise<void> {
  const reported = mergeReports(batch.reported);
  const updated = await tx
    .update(migrationBackfills)
    .set({
      checkpoint: batch.checkpoint,
      read: sql`${migrationBackfills.read} + ${batch.read}`,
      moved: sql`${migrationBackfills.moved} + ${batch.moved}`,
      unchanged: sql`${migrationBackfills.unchanged} + ${batch.unchanged}`,
      reported: sql`${migrationBackfills.reported} + ${reported.length}`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(migrationBackfills.domain, domain), eq(migrationBackfills.runId, runId)))
    .returning({ domain: migrationBackfills.domain });
  if (updated.length === 0) throw new Error(`the backfill of ${domain} was taken over by another run`);
  if (reported.length > 0) {
    await tx
      .insert(migrationProblems)
      .values(reported.map((record) => ({ domain, ...record })))
      .onConflictDoUpdate({ target: [migrationProblems.domain, migrationProblems.recordKind, migrationProblems.recordId], set: { fields: sql`excluded.fields`, reason: sql`excluded.reason`, seenAt: sql`now()` } });
  }
}

/** One entry a record: a record reported twice in a batch (moved without its session, then refused) keeps both reasons. */
function mergeReports(records: readonly ReportedRecord[]): ReportedRecord[] {
  const merged = new Map<string, ReportedRecord>();
  for (const record of records) {
    const key = `${record.recordKind}\u0000${record.recordId}`;
    const earlier = merged.get(key);
    merged.set(key, earlier ? { ...earlier, fields: [...new Set([...earlier.fields, ...record.fields])], reason: `${earlier.reason}; ${record.reason}` } : record);
  }
  return [...merged.values()];
}

export async function finishBackfill(db: Executor, domain: MigrationDomain, runId: string, outcome: { status: 'finished' | 'failed'; error?: string }): Promise<void> {
  await db
    .update(migrationBackfills)
    .set({ status: outcome.status, error: outcome.error ?? null, updatedAt: sql`now()`, finishedAt: outcome.status === 'finished' ? sql`now()` : null })
    .where(and(eq(migrationBackfills.domain, domain), eq(migrationBackfills.runId, runId)));
}

export async function reportedRecords(db: Executor, domain: MigrationDomain): Promise<(ReportedRecord & { seenAt: Date })[]> {
  const rows = await db.select().from(migrationProblems).where(eq(migrationProblems.domain, domain)).orderBy(migrationProblems.recordKind, migrationProblems.recordId);
  return rows.map(({ recordKind, recordId, fields, reason, seenAt }) => ({ recordKind, recordId, fields, reason, seenAt }));
}

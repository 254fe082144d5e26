import { and, asc, count, eq, inArray, isNull, min, sql } from 'drizzle-orm';
import type { Executor } from '../../subgraphs/operations/store/index.js';
import { parseChange, serializeChange, type ChangeEnvelope } from '../changes.js';
import type { MigrationDomain } from '../stages/stage-rules.js';
import { migrationAppliedChanges, migrationChanges } from './schema.js';

/**
 * The PostgreSQL side of dual-write: changes PostgreSQL committed for the legacy store (a queue
 * written in the changing transaction), and the markers of legacy changes already applied here.
 */

/** Call inside the transaction of the change. */
export async function enqueueLegacyChange(tx: Executor, envelope: ChangeEnvelope): Promise<void> {
  await tx
    .insert(migrationChanges)
    .values({ changeId: envelope.changeId, domain: envelope.domain, aggregate: envelope.aggregate, envelope: JSON.parse(serializeChange(envelope)) as unknown })
    .onConflictDoNothing({ target: migrationChanges.changeId });
}

export interface QueuedChange {
  id: number;
  envelope: ChangeEnvelope;
  attempts: number;
}

const toQueued = (row: typeof migrationChanges.$inferSelect): QueuedChange => ({ id: row.id, envelope: parseChange(row.envelope), attempts: row.attempts });

/** Aggregates with changes waiting, oldest first. */
export async function aggregatesWithQueuedChanges(db: Executor, limit: number): Promise<string[]> {
  const rows = await db
    .select({ aggregate: migrationChanges.aggregate, first: min(migrationChanges.id) })
    .from(migrationChanges)
    .where(isNull(migrationChanges.appliedAt))
    .groupBy(migrationChanges.aggregate)
    .orderBy(asc(min(migrationChanges.id)))
    .limit(limit);
  return rows.map((row) => row.aggregate);
}

/** The waiting changes of one aggregate in commit order, locked (SKIP LOCKED: another relay has them). */
export async function lockQueuedChanges(tx: Executor, aggregate: string): Promise<QueuedChange[]> {
  const rows = await tx
    .select()
    .from(migrationChanges)
    .where(and(eq(migrationChanges.aggregate, aggregate), isNull(migrationChanges.appliedAt)))
    .orderBy(asc(migrationChanges.id))
    .for('update', { skipLocked: true });
  return rows.map(toQueued);
}

export async function markQueuedApplied(tx: Executor, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.update(migrationChanges).set({ appliedAt: sql`now()`, attempts: sql`${migrationChanges.attempts} + 1`, lastError: null }).where(inArray(migrationChanges.id, [...ids]));
}

export async function recordQueuedFailure(db: Executor, id: number, error: string): Promise<void> {
  await db.update(migrationChanges).set({ attempts: sql`${migrationChanges.attempts} + 1`, lastError: error.slice(0, 500) }).where(eq(migrationChanges.id, id));
}

/** How many changes of the domain wait for the legacy store, and the age of the oldest (seconds). */
export async function queuedChangeSummary(db: Executor, domain: MigrationDomain): Promise<{ pending: number; oldestAgeSeconds: number | null }> {
  const [row] = await db
    .select({ pending: count(), oldest: sql<number | null>`extract(epoch from now() - min(${migrationChanges.createdAt}))::float8` })
    .from(migrationChanges)
    .where(and(eq(migrationChanges.domain, domain), isNull(migrationChanges.appliedAt)));
  return { pending: row?.pending ?? 0, oldestAgeSeconds: row?.oldest === null || row?.oldest === undefined ? null : Math.floor(row.oldest) };
}

/** Records a legacy change as applied; false when it already was (then nothing else must be done). */
export async function claimLegacyChange(tx: Executor, changeId: string): Promise<boolean> {
  const inserted = await tx.insert(migrationAppliedChanges).values({ changeId }).onConflictDoNothing().returning();
  return inserted.length > 0;
}

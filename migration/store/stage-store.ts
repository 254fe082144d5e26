import { desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { writeAudit, type Actor, type Database, type Executor } from '../../subgraphs/operations/store/index.js';
import {
  migrationDomains,
  migrationStages,
  stageChangeRefusals,
  type DomainStage,
  type MigrationDomain,
  type MigrationStage,
  type Refusal,
  type StageChangeRequest,
} from '../stages/stage-rules.js';
import { migrationBackfills, migrationStagesTable, migrationVerifications } from './schema.js';

/** The channel every process LISTENs on: a committed stage change is announced on it at once (stages/stage-watcher.ts). */
export const stageChannel = 'migration_stages';

export type Stages = Record<MigrationDomain, DomainStage>;

function toDomainStage(row: typeof migrationStagesTable.$inferSelect): DomainStage {
  return { domain: row.domain, stage: row.stage, rolloutPercent: row.rolloutPercent, version: row.version };
}

const announcementSchema = z.object({ domain: z.enum(migrationDomains), stage: z.enum(migrationStages), rolloutPercent: z.number().int().min(0).max(100).nullable(), version: z.number().int().positive() });

/** The stage a `migration_stages` notification announces, or undefined when it is not one. */
export function parseStageAnnouncement(payload: string | undefined): DomainStage | undefined {
  try {
    const parsed = announcementSchema.safeParse(JSON.parse(payload ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The stored stage of every domain; a domain without one is missing. */
export async function readStoredStages(db: Executor): Promise<Partial<Stages>> {
  const rows = await db.select().from(migrationStagesTable);
  return Object.fromEntries(rows.map((row) => [row.domain, toDomainStage(row)]));
}

/**
 * Stores the first stage of the domains that have none (a new deployment, or one upgrading to
 * this version), audited; concurrent starts store it once. Returns every domain's stage.
 */
export async function initializeStages(db: Database, initial: Record<MigrationDomain, MigrationStage>): Promise<Stages> {
  return db.transaction(async (tx) => {
    const system: Actor = { sub: 'system:initial-stage', role: 'admin' };
    for (const domain of migrationDomains) {
      const inserted = await tx
        .insert(migrationStagesTable)
        .values({ domain, stage: initial[domain], rolloutPercent: null, updatedBy: system.sub })
        .onConflictDoNothing()
        .returning();
      if (inserted[0]) await writeAudit(tx, system, { action: 'migration.stage.initial', entityType: 'migration_stage', entityId: domain, newValue: toDomainStage(inserted[0]) });
    }
    const stored = await readStoredStages(tx);
    return Object.fromEntries(migrationDomains.map((domain) => [domain, stored[domain]])) as Stages;
  });
}

/** A stage change refused by its gates: exit code 3 of the command, CONFLICT in the API. */
export class StageChangeRefused extends AppError {
  constructor(
    readonly domain: MigrationDomain,
    readonly refusals: Refusal[],
  ) {
    const forceable = refusals.every((refusal) => refusal.overridable);
    super('CONFLICT', `Moving ${domain} is refused: ${refusals.map((refusal) => refusal.reason).join('; ')}${forceable ? ' (force overrides this, audited)' : ''}`, {
      refusals: refusals.map((refusal) => refusal.reason),
      forceable,
    });
    this.name = 'StageChangeRefused';
  }
}

/** What the gates need that PostgreSQL does not know: the changes still waiting in the legacy store. */
export interface StageChangeContext {
  pendingLegacyChanges(domain: MigrationDomain): Promise<number>;
  pendingPostgresChanges(tx: Executor, domain: MigrationDomain): Promise<number>;
}

/**
 * Changes a domain's stage under lock of every stage row (the gates compare domains), after its
 * gates (stage-rules.ts), with its audit row and the announcement, all in one transaction.
 * The same stage again (and the same rollout) changes nothing and is not audited.
 */
export async function changeStage(db: Database, actor: Actor, domain: MigrationDomain, request: StageChangeRequest, context: StageChangeContext): Promise<{ stage: DomainStage; changed: boolean }> {
  return db.transaction(async (tx) => {
    const rows = await tx.select().from(migrationStagesTable).for('update');
    const stages = Object.fromEntries(rows.map((row) => [row.domain, toDomainStage(row)])) as Partial<Stages>;
    const current = stages[domain];
    if (!current) throw new AppError('UNAVAILABLE', `The stages are not initialized yet: start the operations subgraph once`);
    if (current.stage === request.stage && current.rolloutPercent === request.rolloutPercent) return { stage: current, changed: false };
    const [backfill] = await tx.select().from(migrationBackfills).where(eq(migrationBackfills.domain, domain));
    const [verification] = await tx.select().from(migrationVerifications).where(eq(migrationVerifications.domain, domain)).orderBy(desc(migrationVerifications.id)).limit(1);
    const legacyAuthoritative = ['legacy', 'dual_write', 'shadow'].includes(current.stage);
    const refusals = stageChangeRefusals(
      domain,
      {
        current,
        stages: Object.fromEntries(migrationDomains.map((name) => [name, stages[name]?.stage ?? 'legacy'])) as Record<MigrationDomain, MigrationStage>,
        backfillFinished: backfill?.status === 'finished',
        lastVerificationConsistent: verification ? verification.consistent : null,
        pendingChanges: legacyAuthoritative ? await context.pendingLegacyChanges(domain) : await context.pendingPostgresChanges(tx, domain),
      },
      request,
    );
    const blocking = refusals.filter((refusal) => !refusal.overridable || !request.force);
    if (blocking.length > 0) throw new StageChangeRefused(domain, refusals);
    // updated_at: the moment of the change, after its gates were checked (they can take a while)
    const [updated] = await tx
      .update(migrationStagesTable)
      .set({ stage: request.stage, rolloutPercent: request.rolloutPercent, version: sql`${migrationStagesTable.version} + 1`, updatedBy: actor.sub, updatedAt: sql`clock_timestamp()` })
      .where(eq(migrationStagesTable.domain, domain))
      .returning();
    if (!updated) throw new Error(`UPDATE migration_stages returned no row for ${domain}`);
    const next = toDomainStage(updated);
    await writeAudit(tx, actor, {
      action: request.force && refusals.length > 0 ? 'migration.stage.forced' : 'migration.stage',
      entityType: 'migration_stage',
      entityId: domain,
      oldValue: current,
      newValue: { ...next, ...(refusals.length > 0 ? { overridden: refusals.map((refusal) => refusal.reason) } : {}) },
    });
    // delivered at commit: listeners take the new stage from it without reading the table
    await tx.execute(sql`SELECT pg_notify(${stageChannel}, ${JSON.stringify(next)})`);
    return { stage: next, changed: true };
  });
}

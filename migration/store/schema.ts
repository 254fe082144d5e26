import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { sqlList, timestamptz } from '../../subgraphs/operations/store/schema/columns.js';
import { migrationDomains, migrationStages } from '../stages/stage-rules.js';

/** The PostgreSQL tables of the move: stages, backfill progress, reports, shadow comparisons, dual-write changes. */

export const migrationStagesTable = pgTable(
  'migration_stages',
  {
    domain: text('domain', { enum: migrationDomains }).primaryKey(),
    stage: text('stage', { enum: migrationStages }).notNull(),
    rolloutPercent: integer('rollout_percent'),
    version: bigint('version', { mode: 'number' }).notNull().default(1),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
  },
  (t) => [
    check('migration_stages_domain_check', sql.raw(`domain IN (${sqlList(migrationDomains)})`)),
    check('migration_stages_stage_check', sql.raw(`stage IN (${sqlList(migrationStages)})`)),
    check('migration_stages_rollout_check', sql`(${t.stage} = 'live') = (${t.rolloutPercent} IS NOT NULL) AND coalesce(${t.rolloutPercent} BETWEEN 0 AND 100, true)`),
  ],
);

export const backfillStatuses = ['running', 'finished', 'failed'] as const;

/** One row per domain: the current (or last) backfill and its checkpoint. */
export const migrationBackfills = pgTable(
  'migration_backfills',
  {
    domain: text('domain', { enum: migrationDomains }).primaryKey(),
    runId: text('run_id').notNull(),
    status: text('status', { enum: backfillStatuses }).notNull(),
    // the legacy key of the last record of the last committed batch
    checkpoint: text('checkpoint'),
    batchSize: integer('batch_size').notNull(),
    read: integer('read').notNull().default(0),
    moved: integer('moved').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    reported: integer('reported').notNull().default(0),
    total: integer('total'),
    error: text('error'),
    startedAt: timestamptz('started_at').notNull().default(sql`now()`),
    updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
    finishedAt: timestamptz('finished_at'),
  },
  () => [check('migration_backfills_status_check', sql.raw(`status IN (${sqlList(backfillStatuses)})`))],
);

/** Records the backfill could not move as they are, with the reason; never their content. */
export const migrationProblems = pgTable(
  'migration_problems',
  {
    domain: text('domain', { enum: migrationDomains }).notNull(),
    recordKind: text('record_kind').notNull(),
    recordId: text('record_id').notNull(),
    fields: text('fields').array().notNull(),
    reason: text('reason').notNull(),
    seenAt: timestamptz('seen_at').notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.domain, t.recordKind, t.recordId] })],
);

export const migrationVerifications = pgTable(
  'migration_verifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    domain: text('domain', { enum: migrationDomains }).notNull(),
    consistent: boolean('consistent').notNull(),
    sample: integer('sample').notNull(),
    report: jsonb('report').notNull(),
    startedAt: timestamptz('started_at').notNull(),
    finishedAt: timestamptz('finished_at').notNull().default(sql`now()`),
  },
  (t) => [index('migration_verifications_domain_idx').on(t.domain, t.id)],
);

/** Shadow-read comparisons per domain and field (`*` counts whole records). */
export const migrationShadowCounts = pgTable(
  'migration_shadow_counts',
  {
    domain: text('domain', { enum: migrationDomains }).notNull(),
    field: text('field').notNull(),
    matches: bigint('matches', { mode: 'number' }).notNull().default(0),
    mismatches: bigint('mismatches', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.domain, t.field] })],
);

/** A sample of shadow mismatches: record ids and field names only, never content. */
export const migrationShadowSamples = pgTable(
  'migration_shadow_samples',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    domain: text('domain', { enum: migrationDomains }).notNull(),
    recordId: text('record_id').notNull(),
    fields: text('fields').array().notNull(),
    seenAt: timestamptz('seen_at').notNull().default(sql`now()`),
  },
  (t) => [index('migration_shadow_samples_domain_idx').on(t.domain, t.id)],
);

/** Changes PostgreSQL committed (authoritative) that the legacy store has yet to receive. */
export const migrationChanges = pgTable(
  'migration_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    changeId: text('change_id').notNull().unique(),
    domain: text('domain', { enum: migrationDomains }).notNull(),
    aggregate: text('aggregate').notNull(),
    envelope: jsonb('envelope').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    appliedAt: timestamptz('applied_at'),
  },
  (t) => [index('migration_changes_pending_idx').on(t.id).where(sql`${t.appliedAt} IS NULL`), index('migration_changes_aggregate_idx').on(t.aggregate, t.id).where(sql`${t.appliedAt} IS NULL`)],
);

/** Changes of the legacy store (authoritative) already applied to PostgreSQL: applying one again changes nothing. */
export const migrationAppliedChanges = pgTable('migration_applied_changes', {
  changeId: text('change_id').primaryKey(),
  appliedAt: timestamptz('applied_at').notNull().default(sql`now()`),
});

import { desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../subgraphs/operations/store/index.js';
import type { MigrationDomain } from '../stages/stage-rules.js';
import { migrationShadowCounts, migrationShadowSamples } from './schema.js';

/** Samples kept per domain: the newest. */
const samplesKept = 1000;

export interface ShadowCount {
  domain: MigrationDomain;
  field: string;
  matches: number;
  mismatches: number;
}

/** Adds comparison counts (from one process's recent reads). */
export async function addShadowCounts(db: Executor, counts: readonly ShadowCount[]): Promise<void> {
  if (counts.length === 0) return;
  await db
    .insert(migrationShadowCounts)
    .values([...counts])
    .onConflictDoUpdate({
      target: [migrationShadowCounts.domain, migrationShadowCounts.field],
      set: { matches: sql`${migrationShadowCounts.matches} + excluded.matches`, mismatches: sql`${migrationShadowCounts.mismatches} + excluded.mismatches` },
    });
}

/** Keeps mismatch samples (ids and field names only), dropping the oldest beyond the newest 1,000 per domain. */
export async function addShadowSamples(db: Executor, samples: readonly { domain: MigrationDomain; recordId: string; fields: string[] }[]): Promise<void> {
  if (samples.length === 0) return;
  await db.insert(migrationShadowSamples).values([...samples]);
  for (const domain of new Set(samples.map((sample) => sample.domain))) {
    await db.execute(sql`DELETE FROM migration_shadow_samples WHERE domain = ${domain} AND id <= (
      SELECT id FROM migration_shadow_samples WHERE domain = ${domain} ORDER BY id DESC OFFSET ${samplesKept} LIMIT 1)`);
  }
}

export interface ShadowSummary {
  /** Whole records compared (field `*`). */
  matches: number;
  mismatches: number;
  byField: { field: string; matches: number; mismatches: number }[];
  recentMismatches: { recordId: string; fields: string[]; seenAt: Date }[];
}

export async function shadowSummary(db: Executor, domain: MigrationDomain): Promise<ShadowSummary> {
  const counts = await db.select().from(migrationShadowCounts).where(eq(migrationShadowCounts.domain, domain)).orderBy(migrationShadowCounts.field);
  const recent = await db.select().from(migrationShadowSamples).where(eq(migrationShadowSamples.domain, domain)).orderBy(desc(migrationShadowSamples.id)).limit(20);
  const records = counts.find((count) => count.field === '*');
  return {
    matches: records?.matches ?? 0,
    mismatches: records?.mismatches ?? 0,
    byField: counts.filter((count) => count.field !== '*').map(({ field, matches, mismatches }) => ({ field, matches, mismatches })),
    recentMismatches: recent.map(({ recordId, fields, seenAt }) => ({ recordId, fields, seenAt })),
  };
}

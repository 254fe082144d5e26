import type { Driver } from 'neo4j-driver';
import { countMigratedRecords, type Database } from '../subgraphs/operations/store/index.js';
import { pendingChangeSummary } from './legacy/change-nodes.js';
import { countLegacyRecords } from './legacy/record-counts.js';
import { migrationDomains, type MigrationDomain, type MigrationStage } from './stages/stage-rules.js';
import { readBackfill, reportedRecords, type BackfillRow } from './store/backfill-store.js';
import { queuedChangeSummary } from './store/change-queue.js';
import { shadowSummary, type ShadowSummary } from './store/shadow-store.js';
import { migrationStagesTable } from './store/schema.js';
import { lastVerification } from './store/verification-store.js';

/** Where a domain's move stands: what `migrationStatus` and `migrate status` show. */
export interface DomainStatus {
  domain: MigrationDomain;
  stage: MigrationStage;
  rolloutPercent: number | null;
  version: number;
  updatedAt: Date;
  updatedBy: string;
  /** Records of each kind in each store; legacy null when the legacy store cannot be reached. */
  records: { kind: string; legacy: number | null; postgres: number }[];
  /** Changes waiting for the other store: from legacy to PostgreSQL (null: legacy unreachable) and back. */
  changes: { toPostgres: ChangeBacklog | null; toLegacy: ChangeBacklog };
  shadow: ShadowSummary & { matchRate: number | null };
  backfill: BackfillRow | null;
  /** Records the backfill could not move as they are. */
  reported: number;
  verification: { consistent: boolean; startedAt: Date; finishedAt: Date; sample: number; differences: number } | null;
}

export interface ChangeBacklog {
  pending: number;
  oldestAgeSeconds: number | null;
}

const kinds: Record<MigrationDomain, ('sessions' | 'messages' | 'feedback' | 'documents')[]> = {
  sessions: ['sessions', 'messages'],
  feedback: ['feedback'],
  documents: ['documents'],
};

/** The count of differences a verification report lists (see verify/). */
function differencesOf(report: unknown): number {
  const value = (report as { differenceCount?: unknown } | null)?.differenceCount;
  return typeof value === 'number' ? value : 0;
}

export async function migrationStatus(db: Database, legacyDriver: Driver, domains: readonly MigrationDomain[] = migrationDomains): Promise<DomainStatus[]> {
  const stageRows = await db.select().from(migrationStagesTable);
  const postgres = await countMigratedRecords(db);
  const legacy = await countLegacyRecords(legacyDriver).catch(() => undefined);
  const statuses: DomainStatus[] = [];
  for (const domain of domains) {
    const stage = stageRows.find((row) => row.domain === domain);
    if (!stage) throw new Error(`the stage of ${domain} is not stored yet: start the operations subgraph once`);
    const shadow = await shadowSummary(db, domain);
    const compared = shadow.matches + shadow.mismatches;
    const verification = await lastVerification(db, domain);
    statuses.push({
      domain,
      stage: stage.stage,
      rolloutPercent: stage.rolloutPercent,
      version: stage.version,
      updatedAt: stage.updatedAt,
      updatedBy: stage.updatedBy,
      records: kinds[domain].map((kind) => ({ kind, legacy: legacy ? legacy[kind] : null, postgres: postgres[kind] })),
      changes: {
        toPostgres: await pendingChangeSummary(legacyDriver, domain).catch(() => null),
        toLegacy: await queuedChangeSummary(db, domain),
      },
      shadow: { ...shadow, matchRate: compared === 0 ? null : shadow.matches / compared },
      backfill: (await readBackfill(db, domain)) ?? null,
      reported: (await reportedRecords(db, domain)).length,
      verification: verification
        ? { consistent: verification.consistent, startedAt: verification.startedAt, finishedAt: verification.finishedAt, sample: verification.sample, differences: differencesOf(verification.report) }
        : null,
    });
  }
  return statuses;
}

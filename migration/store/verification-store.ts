import { desc, eq } from 'drizzle-orm';
import type { Executor } from '../../subgraphs/operations/store/index.js';
import type { MigrationDomain } from '../stages/stage-rules.js';
import { migrationVerifications } from './schema.js';

export type VerificationRow = typeof migrationVerifications.$inferSelect;

export async function saveVerification(db: Executor, row: { domain: MigrationDomain; consistent: boolean; sample: number; report: unknown; startedAt: Date }): Promise<VerificationRow> {
  const [saved] = await db.insert(migrationVerifications).values(row).returning();
  if (!saved) throw new Error('INSERT INTO migration_verifications returned no row');
  return saved;
}

export async function lastVerification(db: Executor, domain: MigrationDomain): Promise<VerificationRow | undefined> {
  const [row] = await db.select().from(migrationVerifications).where(eq(migrationVerifications.domain, domain)).orderBy(desc(migrationVerifications.id)).limit(1);
  return row;
}

import type { Driver } from 'neo4j-driver';
import type { Config } from '../../lib/config.js';
import type { Database } from '../../subgraphs/operations/store/index.js';
import { legacyHoldsData } from '../legacy/presence.js';
import { initializeStages, readStoredStages, type Stages } from '../store/stage-store.js';
import { initialStage, migrationDomains, type MigrationDomain, type MigrationStage } from './stage-rules.js';

/**
 * Every domain's stage, storing the first stage of those that have none: from the seed's
 * variables when set, else `legacy` when the legacy store holds the domain's data and
 * `complete` when it holds none (a new deployment).
 */
export async function ensureStages(db: Database, legacy: Driver, initialDualWrite: Config['migration']['initialDualWrite']): Promise<Stages> {
  const stored = await readStoredStages(db);
  const missing = migrationDomains.filter((domain) => !stored[domain]);
  const unset = missing.filter((domain) => initialDualWrite[domain] === undefined);
  const present = unset.length > 0 ? await legacyHoldsData(legacy) : undefined;
  const initial = Object.fromEntries(migrationDomains.map((domain) => [domain, initialStage(initialDualWrite[domain], present?.[domain] ?? false)])) as Record<MigrationDomain, MigrationStage>;
  return initializeStages(db, initial);
}

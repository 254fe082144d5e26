import { SafetyGateRefusal } from '../safety-gate.js';
import { stageChangeContext } from '../stages/stage-context.js';
import { stageIndex, type MigrationDomain, type MigrationStage } from '../stages/stage-rules.js';
import { changeStage, readStoredStages } from '../store/stage-store.js';
import type { MigrationToolkit } from '../toolkit.js';
import { verifyDomain } from '../verify/verify-domain.js';
import { reconcileDomain } from './reconcile.js';

/**
 * The seed's rollback procedures (section 5.2) for a running deployment: phases 1–3 give the
 * sessions back to legacy, phase 4 the feedback, `full` both (feedback first: it may not be
 * ahead of sessions) and the documents. Legacy is made complete before it decides again: what PostgreSQL holds
 * that legacy lacks (everything written at `complete`, or not relayed yet) is copied back,
 * then the stage goes to `legacy` (audited, forced past the gates a rollback must pass).
 */

export const rollbackPhases = { '1-3': ['sessions'], '4': ['feedback'], full: ['feedback', 'sessions', 'documents'] } as const satisfies Record<string, readonly MigrationDomain[]>;
export type RollbackPhase = keyof typeof rollbackPhases;

export interface RolledBack {
  domain: MigrationDomain;
  from: MigrationStage;
  copiedBack: number;
  /** Records legacy still lacks or holds differently afterwards (none when the rollback is complete). */
  differences: number;
}

export async function rollback(kit: MigrationToolkit, phase: RollbackPhase, log: (line: string) => void): Promise<RolledBack[]> {
  const stages = await readStoredStages(kit.db);
  const feedbackStage = stages.feedback?.stage ?? 'legacy';
  if (phase === '1-3' && feedbackStage !== 'legacy') {
    throw new SafetyGateRefusal('rollback 1-3', [`feedback is at ${feedbackStage} and may not be ahead of sessions: roll back feedback first (rollback 4), or both (rollback full)`]);
  }
  // copied back first, sessions before feedback (feedback names its session): whatever the
  // phase, PostgreSQL-only sessions go back too, so restored feedback never names a missing one
  const copiedBack = new Map<MigrationDomain, number>();
  const domains = rollbackPhases[phase];
  const copyBack = (['sessions', 'feedback', 'documents'] as const).filter((domain) => stageIndex(stages[domain]?.stage ?? 'legacy') >= stageIndex('live') && (domains.includes(domain as never) || domain === 'sessions'));
  for (const domain of copyBack) {
    const repaired = await reconcileDomain(kit, domain, { dryRun: false, direction: 'to-legacy' });
    copiedBack.set(domain, repaired.repaired.length);
    log(`${domain}: ${repaired.repaired.length} records copied back to legacy from PostgreSQL`);
  }
  const done: RolledBack[] = [];
  for (const domain of domains) {
    const from = stages[domain]?.stage ?? 'legacy';
    if (from === 'legacy') {
      log(`${domain}: already at legacy`);
      continue;
    }
    const check = copiedBack.has(domain) ? await verifyDomain(kit, domain, { sample: 100 }) : undefined;
    const differences = check ? check.kinds.reduce((sum, kind) => sum + kind.extra.length + kind.differing.length, 0) : 0;
    if (differences > 0) throw new SafetyGateRefusal(`rollback of ${domain}`, [`legacy still lacks or differs in ${differences} records after the copy back: see verify ${domain} --report`]);
    const changed = await changeStage(kit.db, { sub: `cli:rollback:${phase}`, role: 'admin' }, domain, { stage: 'legacy', rolloutPercent: null, force: true }, stageChangeContext(kit.legacy));
    log(`${domain}: ${from} → ${changed.stage.stage} (version ${changed.stage.version}); legacy decides again`);
    done.push({ domain, from, copiedBack: copiedBack.get(domain) ?? 0, differences });
  }
  return done;
}

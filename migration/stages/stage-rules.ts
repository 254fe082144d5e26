import { createHash } from 'node:crypto';

/**
 * The stages of the move, per domain, and the rules for changing them. Pure: the stage store
 * (stage-store.ts) applies them inside the transaction that changes a stage.
 */

export const migrationDomains = ['sessions', 'feedback', 'documents'] as const;
export type MigrationDomain = (typeof migrationDomains)[number];

export const migrationStages = ['legacy', 'dual_write', 'shadow', 'live', 'rampdown', 'complete'] as const;
export type MigrationStage = (typeof migrationStages)[number];

export type Store = 'legacy' | 'postgres';

/** What a stage does with writes and reads. */
export interface StagePlan {
  /** The store whose commit decides: it holds the change and the change record for the other one. */
  authoritative: Store;
  /** Whether the other store receives every write too (through the relay). */
  dualWrite: boolean;
  /** Where reads are served from; `rollout`: PostgreSQL for the rollout share of patients, legacy for the others. */
  reads: Store | 'rollout';
  /** Whether the store not serving a read is read alongside and compared. */
  compare: boolean;
}

const plans: Record<MigrationStage, StagePlan> = {
  legacy: { authoritative: 'legacy', dualWrite: false, reads: 'legacy', compare: false },
  dual_write: { authoritative: 'legacy', dualWrite: true, reads: 'legacy', compare: false },
  shadow: { authoritative: 'legacy', dualWrite: true, reads: 'legacy', compare: true },
  live: { authoritative: 'postgres', dualWrite: true, reads: 'rollout', compare: true },
  rampdown: { authoritative: 'postgres', dualWrite: true, reads: 'postgres', compare: false },
  complete: { authoritative: 'postgres', dualWrite: false, reads: 'postgres', compare: false },
};

export function stagePlan(stage: MigrationStage): StagePlan {
  return plans[stage];
}

/** A domain's stage as stored. */
export interface DomainStage {
  domain: MigrationDomain;
  stage: MigrationStage;
  /** Share of patients served from PostgreSQL at `live` (0..100); null elsewhere. */
  rolloutPercent: number | null;
  /** Increases with every change: caches and replicas compare it. */
  version: number;
}

/**
 * A patient's place in the rollout, 0..99, from a hash of its id: stable (a patient never
 * flips back and forth while the percentage only grows) and spread evenly.
 */
export function rolloutBucket(patientId: string): number {
  return createHash('sha256').update(patientId).digest().readUInt32BE(0) % 100;
}

/** The store that serves a read of this patient's records at this stage. */
export function readStore(stage: DomainStage, patientId: string): Store {
  const reads = plans[stage.stage].reads;
  if (reads !== 'rollout') return reads;
  return rolloutBucket(patientId) < (stage.rolloutPercent ?? 0) ? 'postgres' : 'legacy';
}

/** What the gates of a stage change look at, read in the changing transaction. */
export interface StageChangeFacts {
  current: DomainStage;
  /** The stage of every domain (feedback refers to sessions, so it may not be ahead of them). */
  stages: Record<MigrationDomain, MigrationStage>;
  backfillFinished: boolean;
  lastVerificationConsistent: boolean | null;
  /** Changes written by the store that is authoritative now and not yet applied to the other one. */
  pendingChanges: number;
}

export interface StageChangeRequest {
  stage: MigrationStage;
  rolloutPercent: number | null;
  force: boolean;
}

/** Why a change is refused; `overridable` ones give way to `force` (and the audit row says so). */
export interface Refusal {
  reason: string;
  overridable: boolean;
}

export const stageIndex = (stage: MigrationStage) => migrationStages.indexOf(stage);

/**
 * The refusals of a stage change, none when it may happen. Forward moves go one step at a
 * time; backward moves (rollback) may skip. Going to `live` needs a finished backfill and a
 * consistent last verification. A change of authority waits until the changes of the old
 * authoritative store reached the other one. Backward from `complete`, legacy first needs
 * what was written only to PostgreSQL (the rollback command copies it back).
 */
export function stageChangeRefusals(domain: MigrationDomain, facts: StageChangeFacts, request: StageChangeRequest): Refusal[] {
  const refusals: Refusal[] = [];
  const from = stageIndex(facts.current.stage);
  const to = stageIndex(request.stage);
  if (request.stage === 'live') {
    if (request.rolloutPercent === null || !Number.isInteger(request.rolloutPercent) || request.rolloutPercent < 0 || request.rolloutPercent > 100) {
      refusals.push({ reason: 'live needs a rollout percentage, an integer from 0 to 100', overridable: false });
    }
  } else if (request.rolloutPercent !== null) {
    refusals.push({ reason: `a rollout percentage only applies to live, not to ${request.stage}`, overridable: false });
  }
  if (to > from + 1) refusals.push({ reason: `${domain} is at ${facts.current.stage}: forward moves go one stage at a time (next: ${migrationStages[from + 1]})`, overridable: false });
  if (domain === 'feedback' && to > stageIndex(facts.stages.sessions)) {
    refusals.push({ reason: `feedback refers to sessions, which are at ${facts.stages.sessions}: move sessions first`, overridable: false });
  }
  if (domain === 'sessions' && to < stageIndex(facts.stages.feedback)) {
    refusals.push({ reason: `feedback, which refers to sessions, is at ${facts.stages.feedback}: move feedback back first`, overridable: false });
  }
  if (request.stage === 'live' && from < to) {
    if (!facts.backfillFinished) refusals.push({ reason: `the backfill of ${domain} has not finished (npm run migrate -- backfill ${domain})`, overridable: true });
    if (facts.lastVerificationConsistent !== true) refusals.push({ reason: `the last verification of ${domain} was ${facts.lastVerificationConsistent === false ? 'not consistent' : 'never run'} (npm run migrate -- verify ${domain})`, overridable: true });
  }
  const authorityChanges = plans[facts.current.stage].authoritative !== plans[request.stage].authoritative;
  if (authorityChanges && plans[facts.current.stage].dualWrite && facts.pendingChanges > 0) {
    refusals.push({ reason: `${facts.pendingChanges} change(s) of ${domain} have not reached the other store yet: wait for the relay (migrate status shows them)`, overridable: true });
  }
  if (facts.current.stage === 'complete' && to < from) {
    refusals.push({ reason: `${domain} is complete: legacy lacks what was written since; run npm run migrate -- rollback, which copies it back first`, overridable: true });
  }
  return refusals;
}

/**
 * The first stage of a domain when none is stored: the seed's switch when it is set (false
 * `legacy`, true `dual_write`), else `legacy` when the legacy store holds the domain's records
 * and `complete` for a new deployment.
 */
export function initialStage(dualWrite: boolean | undefined, legacyHasData: boolean): MigrationStage {
  if (dualWrite !== undefined) return dualWrite ? 'dual_write' : 'legacy';
  return legacyHasData ? 'legacy' : 'complete';
}

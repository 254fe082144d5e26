import type { Driver } from 'neo4j-driver';
import { Gauge, Histogram, type Registry } from 'prom-client';
import { migrationStatus, type DomainStatus } from '../../../migration/status.js';
import { migrationDomains, stagePlan, type MigrationDomain } from '../../../migration/stages/stage-rules.js';
import type { StageWatcher } from '../../../migration/stages/stage-watcher.js';
import type { Database } from '../store/index.js';
import type { StoreSet } from './routed-stores.js';

/**
 * The move's figures for Prometheus: the stage each domain is routed by in this process, what
 * `migrationStatus` shows (records in each store, changes waiting and their age, the last
 * backfill and verification; read in the background at most every 10 s, whatever the scrape
 * rate), and the time
 * of every read and write of each store. Labels are bounded: domain, store, kind, outcome.
 */

const statusTtlMs = 10_000;

export function registerMigrationMetrics(registry: Registry, deps: { db: Database; legacyDriver: Driver; stages: StageWatcher }): { timeStores(store: 'legacy' | 'postgres', set: StoreSet): StoreSet } {
  const registers = [registry];
  const { stages } = deps;
  new Gauge({
    name: 'migration_stage',
    help: 'The stage each domain is routed by in this process (1 for the current stage)',
    labelNames: ['domain', 'stage'],
    registers,
    collect() {
      this.reset();
      for (const domain of migrationDomains) this.set({ domain, stage: stages.stage(domain).stage }, 1);
    },
  });
  new Gauge({
    name: 'migration_rollout_percent',
    help: 'Share of patients read from PostgreSQL at the live stage',
    labelNames: ['domain'],
    registers,
    collect() {
      for (const domain of migrationDomains) this.set({ domain }, stages.stage(domain).rolloutPercent ?? (stages.stage(domain).stage === 'live' ? 0 : stagePlan(stages.stage(domain).stage).reads === 'postgres' ? 100 : 0));
    },
  });

  // a scrape never waits for the stores: it shows the last figures read, and starts reading anew when they are old
  let latest: DomainStatus[] = [];
  let readAt = 0;
  let reading = false;
  const statuses = () => {
    if (!reading && Date.now() - readAt > statusTtlMs) {
      reading = true;
      migrationStatus(deps.db, deps.legacyDriver)
        .then((read) => {
          latest = read;
          readAt = Date.now();
        })
        // a failed read keeps the last figures: the next scrape tries again
        .catch(() => undefined)
        .finally(() => (reading = false));
    }
    return latest;
  };
  const statusGauge = (name: string, help: string, labelNames: string[], set: (gauge: Gauge, status: DomainStatus) => void) =>
    new Gauge({
      name, help, labelNames, registers,
      collect() {
        this.reset();
        for (const status of statuses()) set(this, status);
      },
    });
  statusGauge('migration_records', 'Records of each kind in each store (legacy missing while it cannot be reached)', ['domain', 'kind', 'store'], (gauge, status) => {
    for (const record of status.records) {
      gauge.set({ domain: status.domain, kind: record.kind, store: 'postgres' }, record.postgres);
      if (record.legacy !== null) gauge.set({ domain: status.domain, kind: record.kind, store: 'legacy' }, record.legacy);
    }
  });
  statusGauge('migration_changes_pending', 'Dual-write changes waiting for the other store', ['domain', 'direction'], (gauge, status) => {
    if (status.changes.toPostgres) gauge.set({ domain: status.domain, direction: 'to_postgres' }, status.changes.toPostgres.pending);
    gauge.set({ domain: status.domain, direction: 'to_legacy' }, status.changes.toLegacy.pending);
  });
  statusGauge('migration_changes_oldest_age_seconds', 'Age of the oldest change waiting for the other store (0 when none waits)', ['domain', 'direction'], (gauge, status) => {
    if (status.changes.toPostgres) gauge.set({ domain: status.domain, direction: 'to_postgres' }, status.changes.toPostgres.oldestAgeSeconds ?? 0);
    gauge.set({ domain: status.domain, direction: 'to_legacy' }, status.changes.toLegacy.oldestAgeSeconds ?? 0);
  });
  statusGauge('migration_backfill_records', "The last backfill's records, by what became of them", ['domain', 'outcome'], (gauge, status) => {
    if (!status.backfill) return;
    for (const outcome of ['read', 'moved', 'unchanged', 'reported'] as const) gauge.set({ domain: status.domain, outcome }, status.backfill[outcome]);
    gauge.set({ domain: status.domain, outcome: 'total' }, status.backfill.total ?? 0);
  });
  statusGauge('migration_backfill_finished', '1 when the last backfill finished, 0 while it runs or after it failed', ['domain'], (gauge, status) => {
    if (status.backfill) gauge.set({ domain: status.domain }, status.backfill.status === 'finished' ? 1 : 0);
  });
  statusGauge('migration_verification_consistent', '1 when the last verification found the stores consistent, 0 when not', ['domain'], (gauge, status) => {
    if (status.verification) gauge.set({ domain: status.domain }, status.verification.consistent ? 1 : 0);
  });
  statusGauge('migration_verification_differences', 'Differences the last verification found', ['domain'], (gauge, status) => {
    if (status.verification) gauge.set({ domain: status.domain }, status.verification.differences);
  });

  const latency = new Histogram({
    name: 'migration_store_request_seconds',
    help: 'Reads and writes of conversations, feedback and documents, by store',
    labelNames: ['domain', 'store', 'kind', 'outcome'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const writes = new Set(['startSession', 'updateSession', 'postMessage', 'submitFeedback', 'createDocument', 'applyIngestOutcome']);
  const timed = <T extends object>(target: T, domain: MigrationDomain, store: string): T =>
    Object.fromEntries(
      Object.entries(target).map(([name, value]) => {
        if (typeof value !== 'function') return [name, value];
        const labels = { domain, store, kind: writes.has(name) ? 'write' : 'read' };
        return [
          name,
          async (...args: unknown[]) => {
            const end = latency.startTimer(labels);
            try {
              const result: unknown = await (value as (...parameters: unknown[]) => Promise<unknown>).apply(target, args);
              end({ outcome: 'ok' });
              return result;
            } catch (error) {
              end({ outcome: 'error' });
              throw error;
            }
          },
        ];
      }),
    ) as T;
  return { timeStores: (store, set) => ({ conversations: timed(set.conversations, 'sessions', store), feedback: timed(set.feedback, 'feedback', store), documents: timed(set.documents, 'documents', store) }) };
}

import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../../../lib/logger.js';
import type { MigrationDomain } from '../../../migration/stages/stage-rules.js';
import { addShadowCounts, addShadowSamples, type ShadowCount } from '../../../migration/store/shadow-store.js';
import type { Database } from '../store/index.js';
import type { ShadowOutcome, ShadowSink } from './shadow-reads.js';

/** Samples stored per flush at most (a burst of mismatches keeps a sample, not all). */
const samplesPerFlush = 50;

export interface ShadowRecorder extends ShadowSink {
  /** Writes what was counted since the last flush to PostgreSQL. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Counts shadow comparisons in memory (and in Prometheus), and adds them to PostgreSQL every
 * `flushMs`: a read never waits for a write about itself.
 */
export function createShadowRecorder(db: Database, options: { registry?: Registry | undefined; logger: Logger; flushMs: number }): ShadowRecorder {
  const registers = options.registry ? [options.registry] : [];
  const comparisons = new Counter({ name: 'migration_shadow_comparisons_total', help: 'Shadow-read comparisons per domain and field', labelNames: ['domain', 'field', 'result'], registers });
  const skipped = new Counter({ name: 'migration_shadow_skipped_total', help: 'Shadow reads not compared (busy, timeout, error)', labelNames: ['domain', 'reason'], registers });
  let counts = new Map<string, ShadowCount>();
  let samples: { domain: MigrationDomain; recordId: string; fields: string[] }[] = [];

  function count(domain: MigrationDomain, field: string, matched: boolean): void {
    const key = `${domain}\u0000${field}`;
    const entry = counts.get(key) ?? { domain, field, matches: 0, mismatches: 0 };
    if (matched) entry.matches += 1;
    else entry.mismatches += 1;
    counts.set(key, entry);
    comparisons.inc({ domain, field, result: matched ? 'match' : 'mismatch' });
  }

  function record(outcome: ShadowOutcome): void {
    for (let index = 0; index < outcome.matchedRecords; index += 1) {
      count(outcome.domain, '*', true);
      for (const field of outcome.fields) count(outcome.domain, field, true);
    }
    for (const mismatch of outcome.mismatches) {
      count(outcome.domain, '*', false);
      const whole = mismatch.fields.some((field) => field.startsWith('*'));
      for (const field of whole ? mismatch.fields : outcome.fields) count(outcome.domain, field, !mismatch.fields.includes(field));
      if (samples.length < samplesPerFlush) samples.push({ domain: outcome.domain, recordId: mismatch.recordId, fields: mismatch.fields });
    }
  }

  async function flush(): Promise<void> {
    const pending = [...counts.values()];
    const pendingSamples = samples;
    counts = new Map();
    samples = [];
    try {
      await addShadowCounts(db, pending);
      await addShadowSamples(db, pendingSamples);
    } catch (error) {
      // counts are kept for the next flush rather than lost
      for (const entry of pending) {
        const key = `${entry.domain}\u0000${entry.field}`;
        const current = counts.get(key) ?? { ...entry, matches: 0, mismatches: 0 };
        counts.set(key, { ...current, matches: current.matches + entry.matches, mismatches: current.mismatches + entry.mismatches });
      }
      options.logger.warn({ err: error }, 'shadow-read counts not stored yet');
    }
  }

  const timer = setInterval(() => void flush(), options.flushMs);
  timer.unref();
  return {
    record,
    skipped: (domain, reason) => skipped.inc({ domain, reason }),
    flush,
    stop: async () => {
      clearInterval(timer);
      await flush();
    },
  };
}

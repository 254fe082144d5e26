import type { Logger } from '../../../lib/logger.js';
import { exactIso } from '../../../lib/precise-time.js';
import type { MigrationDomain } from '../../../migration/stages/stage-rules.js';

/**
 * Shadow reads: while a domain is at `shadow` or `live`, the store that did not serve a read is
 * read too, after the answer (it never delays it), and the two are compared field by field.
 * Results are counted per domain and field; a sample of mismatches keeps record ids and field
 * names, never content.
 */

/** One comparison's outcome: the fields that differed per record id (empty: all matched). */
export interface ShadowOutcome {
  domain: MigrationDomain;
  /** Fields compared (per record), for the match counts. */
  fields: string[];
  mismatches: { recordId: string; fields: string[] }[];
  matchedRecords: number;
}

/** Where outcomes go (migration/shadow-recorder.ts counts and samples them). */
export interface ShadowSink {
  record(outcome: ShadowOutcome): void;
  /** The comparison was skipped: too many in flight, or the other store too slow or failing. */
  skipped(domain: MigrationDomain, why: 'busy' | 'timeout' | 'error'): void;
}

/** Values compared after normalisation: instants to the microsecond, lists and objects by their JSON. */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return exactIso(value);
  if (Array.isArray(value) || (value !== null && typeof value === 'object')) return JSON.stringify(value);
  return value;
}

/** Field names of `a` and `b` whose normalised values differ (`ignored` fields are derived by one store only). */
export function differingFields(a: Record<string, unknown>, b: Record<string, unknown>, ignored: readonly string[] = []): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !ignored.includes(key)).sort();
  return keys.filter((key) => normalise(a[key]) !== normalise(b[key]));
}

/** Compares two answers made of rows with ids: missing and extra records count as `*missing`, `*extra`. */
export function compareRows<Row extends { id: string }>(domain: MigrationDomain, served: readonly Row[], other: readonly Row[], ignored: readonly string[] = []): ShadowOutcome {
  const byId = new Map(other.map((row) => [row.id, row]));
  const mismatches: ShadowOutcome['mismatches'] = [];
  let matchedRecords = 0;
  const fields = new Set<string>();
  for (const row of served) {
    const twin = byId.get(row.id);
    byId.delete(row.id);
    if (!twin) {
      mismatches.push({ recordId: row.id, fields: ['*missing'] });
      continue;
    }
    for (const key of Object.keys(row)) if (!ignored.includes(key)) fields.add(key);
    const differing = differingFields(row as Record<string, unknown>, twin as Record<string, unknown>, ignored);
    if (differing.length === 0) matchedRecords += 1;
    else mismatches.push({ recordId: row.id, fields: differing });
  }
  for (const extra of byId.keys()) mismatches.push({ recordId: extra, fields: ['*extra'] });
  return { domain, fields: [...fields].sort(), mismatches, matchedRecords };
}

export interface ShadowReader {
  /** Reads `other` after the served answer and records how it compares; never throws, never awaited by the caller. */
  compare<T>(domain: MigrationDomain, served: T, other: () => Promise<T>, compare: (served: T, other: T) => ShadowOutcome): void;
  /** Resolves when the comparisons in flight are done (tests, shutdown). */
  settled(): Promise<void>;
}

export function createShadowReader(sink: ShadowSink, options: { timeoutMs: number; maxInFlight: number; logger: Logger }): ShadowReader {
  const inFlight = new Set<Promise<void>>();
  return {
    compare(domain, served, other, compare) {
      if (inFlight.size >= options.maxInFlight) {
        sink.skipped(domain, 'busy');
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
      });
      const run = Promise.race([other(), timeout])
        .then((result) => {
          if (result === 'timeout') sink.skipped(domain, 'timeout');
          else sink.record(compare(served, result as typeof served));
        })
        .catch((error: unknown) => {
          sink.skipped(domain, 'error');
          options.logger.debug({ err: error, domain }, 'shadow read failed');
        })
        .finally(() => {
          clearTimeout(timer);
          inFlight.delete(run);
        });
      inFlight.add(run);
    },
    settled: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

import type { MigrationDomain } from '../stages/stage-rules.js';
import { readStoredStages } from '../store/stage-store.js';
import { reportedRecords, type ReportedRecord } from '../store/backfill-store.js';
import { saveVerification } from '../store/verification-store.js';
import { aggregateOf, differingFields, documentOfChunk, type RecordKind } from './record-forms.js';
import { domainSides, type DomainSides, type VerifiedStores } from './store-sides.js';
import { inBatches } from '../batches.js';

/**
 * Compares a domain's records in both stores: counts, a checksum of every record's normalised
 * form, an aggregate per kind, the ids missing, extra or differing (with the differing fields),
 * orphans, a random sample compared field by field, and what the backfill reported. Consistent
 * when every legacy record is in PostgreSQL as it is, or was reported, and nothing else is.
 */

export interface KindReport {
  kind: RecordKind;
  legacy: number;
  postgres: number;
  aggregates: { legacy: string; postgres: string };
  missing: string[];
  extra: string[];
  differing: { id: string; fields: string[] }[];
}

export interface VerificationReport {
  domain: MigrationDomain;
  stage: string;
  startedAt: string;
  finishedAt: string;
  consistent: boolean;
  /** Missing, extra and differing records, and sampled records that differ. */
  differenceCount: number;
  kinds: KindReport[];
  /** Legacy records no session links (never moved: reported). */
  orphans: ReportedRecord[];
  /** Legacy records that cannot be read as rows (the backfill reports them too). */
  unreadable: ReportedRecord[];
  /** What the last backfill reported. */
  reported: ReportedRecord[];
  sample: { size: number; differing: { kind: RecordKind; id: string; fields: string[] }[] };
}


async function compareForms(sides: DomainSides, kind: RecordKind, ids: readonly string[]): Promise<{ id: string; fields: string[] }[]> {
  const found: { id: string; fields: string[] }[] = [];
  for (const part of inBatches(ids, 500)) {
    const [legacy, postgres] = await Promise.all([sides.forms('legacy', kind, part), sides.forms('postgres', kind, part)]);
    for (const id of part) {
      const left = legacy.get(id);
      const right = postgres.get(id);
      // changed between the scan and now (dual-write): compared as it is now
      const fields = left && right ? differingFields(left, right) : ['(record)'];
      if (fields.length > 0) found.push({ id, fields });
    }
  }
  return found;
}

function randomSample<T>(items: readonly T[], size: number): T[] {
  const pool = [...items];
  for (let index = pool.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [pool[index], pool[other]] = [pool[other] as T, pool[index] as T];
  }
  return pool.slice(0, size);
}

export async function verifyDomain(
  deps: VerifiedStores,
  domain: MigrationDomain,
  options: { sample: number },
): Promise<VerificationReport> {
  const startedAt = new Date();
  const sides = domainSides(domain, deps);
  const [legacy, postgres, reported, stages] = await Promise.all([sides.legacy(), sides.postgres(), reportedRecords(deps.db, domain), readStoredStages(deps.db)]);
  const explainedKeys = new Set([...reported, ...legacy.unreadable].map((record) => `${record.recordKind}:${record.recordId}`));
  // a chunk of a document the backfill reported did not move with it
  const explained = (kind: RecordKind, id: string) => explainedKeys.has(`${kind}:${id}`) || (kind === 'chunk' && explainedKeys.has(`document:${documentOfChunk(id)}`));
  const kinds: KindReport[] = [];
  const sampled: VerificationReport['sample']['differing'] = [];
  let sampleSize = 0;
  for (const kind of sides.kinds) {
    const left = legacy.checksums[kind];
    const right = postgres.checksums[kind];
    const missing = [...left.keys()].filter((id) => !right.has(id)).sort();
    const extra = [...right.keys()].filter((id) => !left.has(id)).sort();
    const both = [...left.keys()].filter((id) => right.has(id));
    const changed = both.filter((id) => left.get(id) !== right.get(id));
    const differing = await compareForms(sides, kind, changed);
    const sample = randomSample(both, Math.ceil((options.sample * both.length) / Math.max(1, left.size)));
    sampleSize += sample.length;
    sampled.push(...(await compareForms(sides, kind, sample)).map((difference) => ({ kind, ...difference })));
    // over the records that can move (a reported one that did not): equal aggregates mean equal stores
    const movable = new Map([...left].filter(([id]) => right.has(id) || !explained(kind, id)));
    kinds.push({
      kind, legacy: left.size, postgres: right.size, aggregates: { legacy: aggregateOf(movable), postgres: aggregateOf(right) },
      // a record the backfill reported is explained, not missing
      missing: missing.filter((id) => !explained(kind, id)), extra, differing,
    });
  }
  const orphans = legacy.unreadable.filter((record) => record.reason.startsWith('orphan'));
  const consistent = kinds.every((kind) => kind.missing.length === 0 && kind.extra.length === 0 && kind.differing.length === 0) && sampled.length === 0;
  const report: VerificationReport = {
    domain, stage: stages[domain]?.stage ?? 'unknown', startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), consistent,
    differenceCount: kinds.reduce((sum, kind) => sum + kind.missing.length + kind.extra.length + kind.differing.length, sampled.length), kinds, orphans,
    unreadable: legacy.unreadable.filter((record) => !record.reason.startsWith('orphan')), reported, sample: { size: sampleSize, differing: sampled },
  };
  await saveVerification(deps.db, { domain, consistent, sample: sampleSize, report, startedAt });
  return report;
}

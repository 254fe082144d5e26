import type { ReportedRecord } from '../store/backfill-store.js';
import type { MigrationToolkit } from '../toolkit.js';
import { recordKinds, type RecordForm, type RecordKind } from './record-forms.js';

/** What every domain's sides of a verification are made of (store-sides.ts, document-sides.ts). */

export type VerifiedStores = Pick<MigrationToolkit, 'db' | 'legacy' | 'format' | 'resolveConcepts' | 'search'>;

export interface StoreSide {
  checksums: Record<RecordKind, Map<string, string>>;
  unreadable: ReportedRecord[];
}

export interface DomainSides {
  kinds: RecordKind[];
  legacy(): Promise<StoreSide>;
  postgres(): Promise<StoreSide>;
  forms(store: 'legacy' | 'postgres', kind: RecordKind, ids: readonly string[]): Promise<Map<string, RecordForm>>;
}

export const emptySide = (): StoreSide => ({ checksums: Object.fromEntries(recordKinds.map((kind) => [kind, new Map()])) as StoreSide['checksums'], unreadable: [] });
export const unreadable = (kind: RecordKind, record: { id: string; problems: { field: string; reason: string }[] }): ReportedRecord => ({
  recordKind: kind, recordId: record.id, fields: record.problems.map((problem) => problem.field), reason: record.problems.map((problem) => `${problem.field} ${problem.reason}`).join('; '),
});

export async function scanPostgres<Row extends { id: string }>(read: (after: string | null) => Promise<Row[]>, add: (row: Row) => void): Promise<void> {
  for (let after: string | null = null; ; ) {
    const rows = await read(after);
    rows.forEach(add);
    if (rows.length === 0) return;
    after = (rows.at(-1) as Row).id;
  }
}


import type { Database } from '../../subgraphs/operations/store/index.js';
import type { MigrationDomain } from '../stages/stage-rules.js';
import type { ReportedRecord } from '../store/backfill-store.js';

/** An open PostgreSQL transaction (savepoints are nested transactions of it). */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** What one batch did in PostgreSQL. */
export interface BatchOutcome {
  /** Legacy records read (sessions and messages, or feedback). */
  read: number;
  /** Records PostgreSQL did not have and now has. */
  moved: number;
  /** Records PostgreSQL already had (dual-write, or an earlier run): left as they are. */
  unchanged: number;
  reported: ReportedRecord[];
}

/** One domain's backfill: pages of legacy records in key order, and how a page is written. */
export interface BackfillDomain<Page> {
  domain: MigrationDomain;
  /** Legacy records the backfill will read, for progress (sessions plus messages, or feedback). */
  countLegacy(): Promise<number>;
  /** The page after `after` (null: the first); undefined when there is none. */
  readPage(after: string | null, size: number): Promise<{ page: Page; lastKey: string } | undefined>;
  writePage(tx: Transaction, page: Page): Promise<BatchOutcome>;
  /** Records no page reaches (orphans, nodes without ids), reported when the run ends. */
  unplaced(): Promise<ReportedRecord[]>;
}

/** Runs `work` in a savepoint: its writes are kept when it succeeds and undone when it throws. */
export async function inSavepoint<T>(tx: Transaction, work: (tx: Transaction) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await tx.transaction(work) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Writes `items` in one savepoint; when PostgreSQL refuses, halves them until each refused item
 * stands alone, so a bad record among n costs about 2·log2(n) retries, not n. A failure that is
 * no refusal (PostgreSQL went away) is thrown by `refused` and ends the batch.
 */
export async function writeBisecting<Item, Result>(
  tx: Transaction,
  items: readonly Item[],
  write: (tx: Transaction, items: readonly Item[]) => Promise<Result>,
  refused: (item: Item, error: unknown) => void,
): Promise<Result[]> {
  if (items.length === 0) return [];
  const attempt = await inSavepoint(tx, (sp) => write(sp, items));
  if (attempt.ok) return [attempt.value];
  if (items.length === 1) {
    refused(items[0] as Item, attempt.error);
    return [];
  }
  const middle = Math.ceil(items.length / 2);
  return [...(await writeBisecting(tx, items.slice(0, middle), write, refused)), ...(await writeBisecting(tx, items.slice(middle), write, refused))];
}

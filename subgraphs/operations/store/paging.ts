import { count, desc, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './db.js';
import type { KeysetCursor } from '../paging/cursor.js';
import { exactIso } from '../../../lib/precise-time.js';

/**
 * A newest-first keyset page over (timestamp, id): the rows strictly before the cursor, and the
 * order that makes the cursor of a page's last row the start of the next.
 */
export function newestFirst(at: AnyColumn, id: AnyColumn, after: KeysetCursor | undefined): { before: SQL | undefined; order: SQL[] } {
  return {
    before: after ? sql`(${at}, ${id}) < (${exactIso(after.at)}::timestamptz, ${after.id})` : undefined,
    order: [desc(at), desc(id)],
  };
}

/** How many rows of `table` match `where`: the `totalCount` of a connection. */
export async function countWhere(db: Executor, table: PgTable, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ total: count() }).from(table).where(where);
  return row?.total ?? 0;
}

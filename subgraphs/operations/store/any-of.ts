import { Placeholder, sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * `column = ANY($1)` with the values as one array parameter: unlike `inArray`'s list of one
 * parameter per value, the statement's text is the same for any number of values, so each
 * connection prepares it once (db.ts) instead of once per list length. The values may be a
 * placeholder of a prepared query (prepared.ts).
 */
export function anyOf(column: AnyColumn, values: readonly string[] | Placeholder): SQL {
  return sql`${column} = ANY(${values instanceof Placeholder ? values : sql.param([...values])})`;
}

/**
 * Raw statements (db.execute) get timestamptz as PostgreSQL's text, e.g.
 * `2026-01-14 09:31:02.123+00` or `...+05:30`; this turns it into a Date.
 */
export function toDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  const iso = value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`Unreadable timestamp from PostgreSQL: ${value}`);
  return date;
}

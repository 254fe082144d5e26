import type { Executor } from './db.js';

/**
 * A drizzle query built once per database (or open transaction) and prepared under its name: each
 * run then only binds its values. Building selects (their SQL text, from the column objects) and
 * mapping their rows took about a tenth of operations' CPU in a profile of the realistic bench.
 */
export function preparedPerExecutor<TQuery>(build: (db: Executor) => TQuery): (db: Executor) => TQuery {
  const built = new WeakMap<Executor, TQuery>();
  return (db) => {
    const known = built.get(db);
    if (known) return known;
    const query = build(db);
    built.set(db, query);
    return query;
  };
}

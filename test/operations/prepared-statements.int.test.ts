import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { createDatabase, createPool } from '../../subgraphs/operations/store/db.js';
import { findSessionsByIds } from '../../subgraphs/operations/store/sessions.js';

/** The pool's connections prepare the statements they run: PostgreSQL parses and plans each text once per connection. */
describe('operations prepared statements', () => {
  const pool = createPool(loadConfig().postgres.url, { max: 1 });
  const db = createDatabase(pool);
  afterAll(() => pool.end());

  const preparedTexts = async () => (await pool.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements')).rows.map((row) => row.statement);
  // the statements db.ts names by a hash of their text (the code's own prepared queries have names of their own)
  const hashNamedTexts = async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name ~ '^s[A-Za-z0-9_-]{27}$'`)).rows[0]?.n;

  it('prepares a statement at its first run and reuses it at the next, with other parameters and any number of ids', async () => {
    expect(await findSessionsByIds(db, ['no-such-session-1'])).toEqual([]);
    const sessionStatements = () => preparedTexts().then((texts) => texts.filter((text) => text.includes('from "sessions"')));
    expect(await sessionStatements()).toHaveLength(1);
    expect(await findSessionsByIds(db, ['no-such-session-2', 'no-such-session-3', 'no-such-session-4'])).toEqual([]);
    expect(await sessionStatements()).toHaveLength(1);
  });

  it('prepares at most 500 texts per connection and runs the others unprepared, answering them all', async () => {
    const before = (await hashNamedTexts()) ?? 500;
    const answers: number[] = [];
    for (let index = 0; index < 520; index += 1) {
      const { rows } = await pool.query<{ n: number }>({ text: `SELECT $1::int + ${index} AS n`, values: [1] });
      answers.push(rows[0]?.n ?? -1);
    }
    expect(answers).toEqual(Array.from({ length: 520 }, (_, index) => index + 1));
    expect(before).toBeLessThan(500);
    expect(await hashNamedTexts()).toBe(500);
  });
});

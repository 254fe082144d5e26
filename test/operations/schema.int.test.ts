import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { migrateDatabase, migrationsFolder } from '../../subgraphs/operations/store/index.js';

/** How many migrations drizzle/ holds. */
const journalEntries = () => (JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

describe('operations: schema, constraints and migrations', () => {
  const config = loadConfig();
  const sql = new pg.Pool({ connectionString: config.postgres.url, max: 2 });
  const run = Math.random().toString(36).slice(2, 10);

  beforeAll(async () => {
    await sql.query(`INSERT INTO sessions (id, patient_id) VALUES ($1, 'p')`, [`${run}-s`]);
  });
  afterAll(() => sql.end());

  /** The constraint a statement violates, or 'ok'. */
  async function violation(text: string, values: unknown[]): Promise<string> {
    try {
      await sql.query(text, values);
      return 'ok';
    } catch (error) {
      return (error as { constraint?: string }).constraint ?? (error as Error).message;
    }
  }

  it.each([
    ['status outside the set', `INSERT INTO sessions (id, patient_id, status) VALUES ($1 || 'x1', 'p', 'paused')`, 'sessions_status_check'],
    ['empty title', `INSERT INTO sessions (id, patient_id, title) VALUES ($1 || 'x2', 'p', '  ')`, 'sessions_title_check'],
    ['message role outside the set', `INSERT INTO messages (session_id, patient_id, role, content) VALUES ($1 || '-s', 'p', 'robot', 'x')`, 'messages_role_check'],
    ['oversized message', `INSERT INTO messages (session_id, patient_id, role, content) VALUES ($1 || '-s', 'p', 'user', repeat('x', 32001))`, 'messages_content_check'],
    ['message of an unknown session', `INSERT INTO messages (session_id, patient_id, role, content) VALUES ($1 || '-none', 'p', 'user', 'x')`, 'messages_session_id_sessions_id_fk'],
    ['rating 0', `INSERT INTO feedback (response_id, rating, feedback_type) VALUES ($1, 0, 'helpful')`, 'feedback_rating_check'],
    ['rating 6', `INSERT INTO feedback (response_id, rating, feedback_type) VALUES ($1, 6, 'helpful')`, 'feedback_rating_check'],
    ['feedback type outside the set', `INSERT INTO feedback (response_id, rating, feedback_type) VALUES ($1, 3, 'great')`, 'feedback_type_check'],
    ['severity outside the set', `INSERT INTO feedback (response_id, rating, feedback_type, severity) VALUES ($1, 3, 'helpful', 'urgent')`, 'feedback_severity_check'],
    ['unknown layer', `INSERT INTO feedback (response_id, rating, feedback_type, layers_traversed) VALUES ($1, 3, 'helpful', ARRAY['BASEMENT'])`, 'feedback_layers_check'],
    ['document status outside the set', `INSERT INTO documents (filename, status) VALUES ($1, 'lost')`, 'documents_status_check'],
    ['quality score above 1', `INSERT INTO document_quality (document_id, composite_score) VALUES ($1, 1.5)`, 'document_quality_composite_check'],
    ['user role outside the set', `INSERT INTO users (subject, role) VALUES ($1, 'root')`, 'users_role_check'],
  ])('the database refuses %s', async (_name, text, constraint) => {
    expect(await violation(text, [run])).toBe(constraint);
  });

  it('deleting a session cascades to its messages and detaches its feedback', async () => {
    const id = `${run}-del`;
    await sql.query(`INSERT INTO sessions (id, patient_id) VALUES ($1, 'p')`, [id]);
    await sql.query(`INSERT INTO messages (id, session_id, patient_id, role, content) VALUES ($1 || '-m', $1, 'p', 'user', 'x')`, [id]);
    await sql.query(`INSERT INTO feedback (id, response_id, session_id, rating, feedback_type) VALUES ($1 || '-f', 'r', $1, 3, 'helpful')`, [id]);
    await sql.query(`DELETE FROM sessions WHERE id = $1`, [id]);
    const { rows } = await sql.query(
      `SELECT (SELECT count(*)::int FROM messages WHERE id = $1 || '-m') AS messages, (SELECT session_id FROM feedback WHERE id = $1 || '-f') AS feedback_session`,
      [id],
    );
    expect(rows).toEqual([{ messages: 0, feedback_session: null }]);
  });

  it('db:migrate is idempotent: a second run applies nothing', async () => {
    const count = async () => Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM drizzle.__drizzle_migrations`)).rows[0]?.n);
    const before = await count();
    await migrateDatabase(config);
    expect(await count()).toBe(before);
    expect(before).toBe(journalEntries());
  });

  it('the same migrations run on embedded PGlite (the zero-install default)', async () => {
    const client = await PGlite.create({ extensions: { pg_trgm } });
    try {
      const db = drizzle(client);
      await migrate(db, { migrationsFolder });
      await migrate(db, { migrationsFolder });
      const views = await client.query<{ matviewname: string }>(`SELECT matviewname FROM pg_matviews ORDER BY 1`);
      expect(views.rows.map((row) => row.matviewname)).toEqual(['feedback_daily_stats', 'layer_performance']);
      await client.query(`INSERT INTO sessions (id, patient_id) VALUES ('s', 'p')`);
      await client.query(`INSERT INTO messages (session_id, patient_id, role, content) VALUES ('s', 'p', 'user', 'Ibuprofen with food')`);
      const hit = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE content_tsv @@ websearch_to_tsquery('english', 'ibuprofen')`);
      expect(hit.rows).toEqual([{ n: 1 }]);
      await client.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY feedback_daily_stats`);
    } finally {
      await client.close();
    }
  });
});

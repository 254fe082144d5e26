import type pg from 'pg';

export interface SeededSession {
  id: string;
  messageIds: string[];
}

/**
 * Inserts `count` sessions for a patient straight into PostgreSQL (test fixtures, not the
 * write path under test): session i is i minutes old, with `messages` messages a second
 * apart and `feedback` feedback rows each. Returns them newest first.
 */
export async function seedSessions(
  sql: pg.Pool,
  prefix: string,
  patientId: string,
  count: number,
  options: { messages?: number; feedback?: number; status?: string } = {},
): Promise<SeededSession[]> {
  const messages = options.messages ?? 0;
  const feedback = options.feedback ?? 0;
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO sessions (id, patient_id, title, status, ended_at, last_activity, created_at, message_count)
     SELECT $1 || '-s' || lpad(i::text, 4, '0'), $2, 'Session ' || i, $3,
            CASE WHEN $3 = 'active' THEN NULL ELSE now() - make_interval(mins => i) END,
            now() - make_interval(mins => i), now() - make_interval(mins => i, hours => 1), $4
     FROM generate_series(1, $5) AS i
     RETURNING id`,
    [prefix, patientId, options.status ?? 'active', messages, count],
  );
  await sql.query(
    `INSERT INTO messages (id, session_id, patient_id, role, content, response_id, related_concepts, created_at)
     SELECT s.id || '-m' || j, s.id, $1, CASE WHEN j % 2 = 0 THEN 'assistant' ELSE 'user' END,
            'Message ' || j || ' of ' || s.id, s.id || '-r' || j, ARRAY['entity:' || j], s.created_at + make_interval(secs => j)
     FROM sessions s CROSS JOIN generate_series(1, $2) AS j WHERE s.id = ANY($3)`,
    [patientId, messages, rows.map((row) => row.id)],
  );
  await sql.query(
    `INSERT INTO feedback (id, response_id, session_id, patient_id, rating, feedback_type)
     SELECT s.id || '-f' || j, s.id || '-r' || j, s.id, $1, 1 + j % 5, 'helpful'
     FROM sessions s CROSS JOIN generate_series(1, $2) AS j WHERE s.id = ANY($3)`,
    [patientId, feedback, rows.map((row) => row.id)],
  );
  return rows
    .map((row) => ({ id: row.id, messageIds: Array.from({ length: messages }, (_, j) => `${row.id}-m${j + 1}`) }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

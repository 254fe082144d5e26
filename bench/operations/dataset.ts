import type pg from 'pg';

/** The volumes. */
export const volumes = { patients: 500, sessions: 10_000, messages: 200_000, feedback: 50_000 };
/** Every fifth session is long (60 messages), the rest short (10): 2,000 x 60 + 8,000 x 10 = 200,000. */
export const longSessionMessages = 60;

export const vocabulary = (
  'asthma inhaler ibuprofen paracetamol migraine headache nausea dosage allergy penicillin diabetes insulin glucose ' +
  'hypertension blood pressure statin cholesterol arthritis rheumatoid joint pain fever infection antibiotic cough ' +
  'vaccine symptom diagnosis treatment therapy side effect interaction kidney liver heart rhythm sleep anxiety ' +
  'depression dose morning evening food water exercise diet weight fatigue dizziness rash swelling'
).split(' ');

/** Who the sessions belong to and what their messages mention: by default synthetic ids no other store knows. */
export interface DatasetReferences {
  patientIds: readonly string[];
  entityIds: readonly string[];
}
const syntheticReferences: DatasetReferences = {
  patientIds: Array.from({ length: volumes.patients }, (_, n) => `bench-pt-${n}`),
  entityIds: Array.from({ length: 50 }, (_, n) => `entity:${n}`),
};

/**
 * Loads the data set with set-based INSERT ... SELECT (a few seconds, not 260,000 round trips).
 * Session n belongs to patient n mod |patientIds|; message j mentions entity j mod |entityIds|.
 */
export async function loadDataset(client: pg.PoolClient, references: DatasetReferences = syntheticReferences): Promise<void> {
  await client.query('TRUNCATE sessions, messages, feedback, preference_pairs, audit_logs, outbox_events CASCADE');
  await client.query(
    `INSERT INTO sessions (id, patient_id, title, status, ended_at, created_at, last_activity, message_count)
     SELECT 'bench-s' || n, ($1::text[])[1 + n % array_length($1::text[], 1)], 'Session ' || n,
            CASE WHEN n % 10 = 0 THEN 'ended' ELSE 'active' END,
            CASE WHEN n % 10 = 0 THEN now() - make_interval(mins => n) + interval '1 hour' END,
            now() - make_interval(mins => n) - interval '1 hour', now() - make_interval(mins => n),
            CASE WHEN n % 5 = 0 THEN $3 ELSE 10 END
     FROM generate_series(1, $2) AS n`,
    [references.patientIds, volumes.sessions, longSessionMessages],
  );
  await client.query(
    `INSERT INTO messages (id, session_id, patient_id, role, content, response_id, related_concepts, created_at)
     SELECT s.id || '-m' || j, s.id, s.patient_id, CASE WHEN j % 2 = 0 THEN 'assistant' ELSE 'user' END,
            (SELECT string_agg(($1::text[])[1 + ((hashtext(s.id || ':' || j || ':' || k)::bigint & 2147483647) % array_length($1::text[], 1))::int], ' ')
             FROM generate_series(1, 12) AS k),
            CASE WHEN j % 2 = 0 THEN s.id || '-r' || j END, ARRAY[($2::text[])[1 + j % array_length($2::text[], 1)]], s.created_at + make_interval(secs => j * 30)
     FROM sessions s CROSS JOIN LATERAL generate_series(1, s.message_count) AS j`,
    [vocabulary, references.entityIds],
  );
  await client.query(
    `INSERT INTO feedback (id, response_id, session_id, patient_id, query_text, response_text, rating, feedback_type, correction, layers_traversed, created_at)
     SELECT 'bench-f' || n, m.response_id, m.session_id, m.patient_id, 'question ' || (n % 2000), m.content,
            1 + (n * 7) % 5, CASE WHEN (n * 7) % 5 >= 3 THEN 'helpful' ELSE 'unhelpful' END,
            CASE WHEN n % 9 = 0 THEN 'a corrected answer' END,
            CASE n % 4 WHEN 0 THEN ARRAY['PERCEPTION', 'SEMANTIC'] WHEN 1 THEN ARRAY['SEMANTIC', 'REASONING']
                       WHEN 2 THEN ARRAY['REASONING', 'APPLICATION'] ELSE ARRAY['APPLICATION'] END,
            now() - make_interval(mins => (n * 13) % (30 * 24 * 60))
     FROM generate_series(1, $1) AS n
     JOIN messages m ON m.id = 'bench-s' || (1 + n % $2) || '-m' || (2 * (1 + n % 5))`,
    [volumes.feedback, volumes.sessions],
  );
  await client.query('REFRESH MATERIALIZED VIEW feedback_daily_stats');
  await client.query('REFRESH MATERIALIZED VIEW layer_performance');
  await client.query('ANALYZE');
}

export async function countDataset(client: pg.PoolClient): Promise<Record<string, number>> {
  const { rows } = await client.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM feedback WHERE id LIKE 'bench-f%') AS feedback`,
  );
  return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([key, value]) => [key, Number(value)]));
}

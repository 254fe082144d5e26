import type { WriteLog } from './write-load.js';
import type { MigrationWorld } from './world.js';

/** Ids of `ids` that the store does not hold exactly once, per kind; audit rows that are not exactly one per write. */
export interface Discrepancies {
  postgres: Record<string, string[]>;
  legacy: Record<string, string[]>;
  audit: Record<string, string[]>;
  sessionCounts: string[];
}

async function postgresNotOnce(world: MigrationWorld, table: string, ids: readonly string[]): Promise<string[]> {
  const { rows } = await world.sql.query<{ id: string }>(`SELECT wanted.id FROM unnest($1::text[]) AS wanted(id) WHERE (SELECT count(*) FROM ${table} t WHERE t.id = wanted.id) <> 1`, [ids]);
  return rows.map((row) => row.id);
}

async function legacyNotOnce(world: MigrationWorld, label: string, key: string, ids: readonly string[]): Promise<string[]> {
  const { records } = await world.legacy.executeQuery(`UNWIND $ids AS id OPTIONAL MATCH (n:${label} {${key}: id}) WITH id, count(n) AS n WHERE n <> 1 RETURN collect(id) AS ids`, { ids });
  return (records[0]?.get('ids') as string[]) ?? [];
}

async function auditNotOnce(world: MigrationWorld, action: string, ids: readonly string[]): Promise<string[]> {
  const { rows } = await world.sql.query<{ id: string }>(`SELECT wanted.id FROM unnest($1::text[]) AS wanted(id) WHERE (SELECT count(*) FROM audit_logs a WHERE a.action = $2 AND a.entity_id = wanted.id) <> 1`, [ids, action]);
  return rows.map((row) => row.id);
}

/** Everything that keeps both stores from holding every accepted write exactly once (empty lists: none). */
export async function discrepancies(world: MigrationWorld, log: WriteLog): Promise<Discrepancies> {
  const { rows } = await world.sql.query<{ id: string }>(
    `SELECT s.id FROM sessions s WHERE s.id = ANY($1) AND s.message_count <> (SELECT count(*) FROM messages m WHERE m.session_id = s.id)`,
    [log.sessions],
  );
  const { records } = await world.legacy.executeQuery(
    `MATCH (m:Message) WHERE m.id IN $ids AND COUNT { (:ConversationSession)-[:HAS_MESSAGE]->(m) } <> 1 RETURN collect(m.id) AS ids`,
    { ids: log.messages },
  );
  return {
    postgres: {
      sessions: await postgresNotOnce(world, 'sessions', log.sessions),
      messages: await postgresNotOnce(world, 'messages', log.messages),
      feedback: await postgresNotOnce(world, 'feedback', log.feedback),
    },
    legacy: {
      sessions: await legacyNotOnce(world, 'ConversationSession', 'id', log.sessions),
      messages: [...(await legacyNotOnce(world, 'Message', 'id', log.messages)), ...((records[0]?.get('ids') as string[]) ?? [])],
      feedback: await legacyNotOnce(world, 'UserFeedback', 'feedback_id', log.feedback),
    },
    audit: {
      sessions: await auditNotOnce(world, 'session.start', log.sessions),
      messages: await auditNotOnce(world, 'message.post', log.messages),
      feedback: await auditNotOnce(world, 'feedback.submit', log.feedback),
    },
    sessionCounts: rows.map((row) => row.id),
  };
}

export const noDiscrepancies: Discrepancies = {
  postgres: { sessions: [], messages: [], feedback: [] },
  legacy: { sessions: [], messages: [], feedback: [] },
  audit: { sessions: [], messages: [], feedback: [] },
  sessionCounts: [],
};

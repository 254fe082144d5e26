import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, errorCode, startHarness, type OperationsHarness } from './support.js';

const startSession = `mutation($input: StartSessionInput!) { startSession(input: $input) { id title status device messageCount patient { id } createdAt lastActivity endedAt } }`;
const postMessage = `mutation($input: PostMessageInput!) { postMessage(input: $input) { id role content responseId confidence mentions { id } session { id messageCount } } }`;

interface SessionData {
  id: string;
  title: string | null;
  status: string;
  device: string | null;
  messageCount: number;
  patient: { id: string };
  lastActivity: string;
  endedAt: string | null;
}

describe('operations: sessions and messages', () => {
  let h: OperationsHarness;
  let patient: string;
  let clinician: string;

  beforeAll(async () => {
    h = await startHarness();
    patient = `pt-${h.run}-a`;
    clinician = await h.token('clinician');
  });
  afterAll(() => h.stop());

  async function start(title: string | null = 'Headache', token?: string): Promise<SessionData> {
    const result = await h.gql<{ startSession: SessionData }>(startSession, { input: { patientId: patient, title, device: 'web' } }, token ?? clinician);
    expect(result.errors).toBeUndefined();
    return result.data!.startSession;
  }

  it('startSession creates an ACTIVE session and its audit row in one go', async () => {
    const session = await start('Migraine questions');
    expect(session).toMatchObject({ title: 'Migraine questions', status: 'ACTIVE', device: 'web', messageCount: 0, patient: { id: patient }, endedAt: null });
    const audits = await countRows(h.sql, `SELECT count(*) FROM audit_logs WHERE entity_id = $1 AND action = 'session.start' AND actor = $2`, [session.id, `clinician-${h.run}`]);
    expect(audits).toBe(1);
  });

  it('postMessage stores the message and moves last activity and message count in the same transaction', async () => {
    const session = await start();
    const first = await h.gql<{ postMessage: { content: string; mentions: { id: string }[]; session: { messageCount: number } } }>(
      postMessage,
      { input: { sessionId: session.id, role: 'ASSISTANT', content: 'Take ibuprofen with food.', responseId: `resp-${h.run}-1`, confidence: 0.8, mentions: ['drug:ibuprofen'] } },
      clinician,
    );
    expect(first.errors).toBeUndefined();
    expect(first.data?.postMessage).toMatchObject({ content: 'Take ibuprofen with food.', mentions: [{ id: 'drug:ibuprofen' }], session: { messageCount: 1 } });
    const { rows } = await h.sql.query<{ message_count: number; moved: boolean }>(
      `SELECT s.message_count, s.last_activity = m.created_at AS moved FROM sessions s JOIN messages m ON m.session_id = s.id WHERE s.id = $1`,
      [session.id],
    );
    expect(rows).toEqual([{ message_count: 1, moved: true }]);
    expect(await countRows(h.sql, `SELECT count(*) FROM audit_logs WHERE entity_type = 'message' AND new_value->>'sessionId' = $1`, [session.id])).toBe(1);
  });

  it('renameSession changes the title and audits old and new values', async () => {
    const session = await start('Old title');
    const result = await h.gql<{ renameSession: { title: string } }>(`mutation($id: ID!) { renameSession(id: $id, title: "  New title ") { title } }`, { id: session.id }, clinician);
    expect(result.data?.renameSession.title).toBe('New title');
    const { rows } = await h.sql.query(`SELECT old_value->>'title' AS old, new_value->>'title' AS new FROM audit_logs WHERE entity_id = $1 AND action = 'session.rename'`, [session.id]);
    expect(rows).toEqual([{ old: 'Old title', new: 'New title' }]);
  });

  it('endSession and archiveSession follow the transition table; illegal changes are refused', async () => {
    const session = await start();
    const ended = await h.gql<{ endSession: { status: string; endedAt: string | null } }>(`mutation($id: ID!) { endSession(id: $id) { status endedAt } }`, { id: session.id }, clinician);
    expect(ended.data?.endSession.status).toBe('ENDED');
    expect(ended.data?.endSession.endedAt).not.toBeNull();

    const again = await h.gql(`mutation($id: ID!) { endSession(id: $id) { status } }`, { id: session.id }, clinician);
    expect(errorCode(again)).toBe('CONFLICT');
    expect(again.errors?.[0]?.message).toBe(`Session ${session.id} is ENDED and cannot become ENDED: it can only become ARCHIVED`);

    const archived = await h.gql<{ archiveSession: { status: string } }>(`mutation($id: ID!) { archiveSession(id: $id) { status } }`, { id: session.id }, clinician);
    expect(archived.data?.archiveSession.status).toBe('ARCHIVED');
    const rename = await h.gql(`mutation($id: ID!) { renameSession(id: $id, title: "x") { title } }`, { id: session.id }, clinician);
    expect(errorCode(rename)).toBe('CONFLICT');
    expect(await countRows(h.sql, `SELECT count(*) FROM audit_logs WHERE entity_id = $1`, [session.id])).toBe(3);
  });

  it('refuses bad input with stable codes and writes nothing', async () => {
    const session = await start();
    const before = await countRows(h.sql, `SELECT count(*) FROM messages WHERE patient_id = $1`, [patient]);
    const sessionsBefore = await countRows(h.sql, `SELECT count(*) FROM sessions WHERE patient_id = $1`, [patient]);

    const emptyTitle = await h.gql(startSession, { input: { patientId: patient, title: '   ' } }, clinician);
    expect(errorCode(emptyTitle)).toBe('BAD_USER_INPUT');
    const renameEmpty = await h.gql(`mutation($id: ID!) { renameSession(id: $id, title: "") { title } }`, { id: session.id }, clinician);
    expect(errorCode(renameEmpty)).toBe('BAD_USER_INPUT');
    const unknownRole = await h.gql(postMessage, { input: { sessionId: session.id, role: 'ROBOT', content: 'hi' } }, clinician);
    expect(errorCode(unknownRole)).toBe('BAD_USER_INPUT');
    const oversized = await h.gql(postMessage, { input: { sessionId: session.id, role: 'USER', content: 'x'.repeat(32_001) } }, clinician);
    expect(errorCode(oversized)).toBe('BAD_USER_INPUT');
    const unknownSession = await h.gql(postMessage, { input: { sessionId: `nope-${h.run}`, role: 'USER', content: 'hi' } }, clinician);
    expect(errorCode(unknownSession)).toBe('NOT_FOUND');
    const badConfidence = await h.gql(postMessage, { input: { sessionId: session.id, role: 'USER', content: 'hi', confidence: 1.5 } }, clinician);
    expect(errorCode(badConfidence)).toBe('BAD_USER_INPUT');

    await h.gql(`mutation($id: ID!) { endSession(id: $id) { status } }`, { id: session.id }, clinician);
    const toEnded = await h.gql(postMessage, { input: { sessionId: session.id, role: 'USER', content: 'hi' } }, clinician);
    expect(errorCode(toEnded)).toBe('CONFLICT');

    expect(await countRows(h.sql, `SELECT count(*) FROM messages WHERE patient_id = $1`, [patient])).toBe(before);
    expect(await countRows(h.sql, `SELECT count(*) FROM sessions WHERE patient_id = $1`, [patient])).toBe(sessionsBefore);
    expect(await countRows(h.sql, `SELECT message_count AS count FROM sessions WHERE id = $1`, [session.id])).toBe(0);
  });
});

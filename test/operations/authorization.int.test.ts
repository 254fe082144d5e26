import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSessions, type SeededSession } from './seed.js';
import { countRows, errorCode, startHarness, type OperationsHarness } from './support.js';

describe('operations: authorization (patient A never reads patient B)', () => {
  let h: OperationsHarness;
  let patientA: string;
  let patientB: string;
  let tokenA: string;
  let sessionB: SeededSession;

  beforeAll(async () => {
    h = await startHarness();
    patientA = `pt-${h.run}-A`;
    patientB = `pt-${h.run}-B`;
    tokenA = await h.token('patient', patientA);
    await seedSessions(h.sql, `${h.run}-a`, patientA, 1, { messages: 2, feedback: 1 });
    [sessionB] = (await seedSessions(h.sql, `${h.run}-b`, patientB, 1, { messages: 2, feedback: 1 })) as [SeededSession];
  });
  afterAll(() => h.stop());

  it('patient A reads its own sessions', async () => {
    const result = await h.gql<{ sessions: { totalCount: number } }>(`query($p: ID!) { sessions(patientId: $p) { totalCount } }`, { p: patientA }, tokenA);
    expect(result.data?.sessions.totalCount).toBe(1);
  });

  it.each([
    ['sessions', `query($p: ID!) { sessions(patientId: $p) { totalCount edges { node { id } } } }`],
    ['searchMessages', `query($p: ID!) { searchMessages(patientId: $p, text: "Message") { snippet } }`],
    ['Patient.sessions entity', `query($p: ID!) { _entities(representations: [{ __typename: "Patient", id: $p }]) { ... on Patient { sessions { totalCount } } } }`],
  ])('FORBIDDEN: %s of patient B', async (_name, query) => {
    const result = await h.gql(query, { p: patientB }, tokenA);
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(JSON.stringify(result.data ?? null)).not.toContain(sessionB.id);
  });

  it.each([
    ['session(id)', `query($id: ID!) { session(id: $id) { id title } }`],
    ['Session entity', `query($id: ID!) { _entities(representations: [{ __typename: "Session", id: $id }]) { ... on Session { id title feedback { rating } } } }`],
  ])('FORBIDDEN: %s of a session of patient B', async (_name, query) => {
    const result = await h.gql(query, { id: sessionB.id }, tokenA);
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(JSON.stringify(result.data ?? null)).not.toContain('Session 1');
  });

  it('FORBIDDEN: a Message entity of patient B, content never sent', async () => {
    const query = `query($id: ID!) { _entities(representations: [{ __typename: "Message", id: $id }]) { ... on Message { id content } } }`;
    const result = await h.gql(query, { id: sessionB.messageIds[0] }, tokenA);
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(JSON.stringify(result.data ?? null)).not.toContain('Message 1 of');
  });

  it('FORBIDDEN and nothing written: posting to, rating in, renaming or ending a session of patient B', async () => {
    const attempts = [
      [`mutation($id: ID!) { postMessage(input: { sessionId: $id, role: USER, content: "hi" }) { id } }`, { id: sessionB.id }],
      [`mutation($id: ID!) { submitFeedback(input: { responseId: "r", sessionId: $id, rating: 1, feedbackType: UNHELPFUL }) { id } }`, { id: sessionB.id }],
      [`mutation { submitThumbs(responseId: "${sessionB.id}-r2", up: false) { id } }`, {}],
      [`mutation($id: ID!) { renameSession(id: $id, title: "mine") { id } }`, { id: sessionB.id }],
      [`mutation($id: ID!) { endSession(id: $id) { id } }`, { id: sessionB.id }],
      [`mutation { startSession(input: { patientId: "${patientB}" }) { id } }`, {}],
    ] as const;
    for (const [query, variables] of attempts) expect(errorCode(await h.gql(query, variables, tokenA))).toBe('FORBIDDEN');
    expect(await countRows(h.sql, `SELECT count(*) FROM messages WHERE patient_id = $1`, [patientB])).toBe(2);
    expect(await countRows(h.sql, `SELECT count(*) FROM feedback WHERE patient_id = $1 OR session_id = $2`, [patientB, sessionB.id])).toBe(1);
    expect(await countRows(h.sql, `SELECT count(*) FROM sessions WHERE patient_id = $1 AND status = 'active' AND title = 'Session 1'`, [patientB])).toBe(1);
    expect(await countRows(h.sql, `SELECT count(*) FROM audit_logs WHERE actor = $1`, [`patient-${h.run}`])).toBe(0);
  });

  it('analysts read aggregates but no sessions; anonymous callers get UNAUTHENTICATED', async () => {
    const analyst = await h.token('analyst');
    const sessions = await h.gql(`query($p: ID!) { sessions(patientId: $p) { totalCount } }`, { p: patientB }, analyst);
    expect(errorCode(sessions)).toBe('FORBIDDEN');
    const stats = await h.gql<{ layerPerformance: unknown[] }>(`{ layerPerformance { layer } }`, {}, analyst);
    expect(stats.errors).toBeUndefined();
    const anonymous = await h.gql(`query($p: ID!) { sessions(patientId: $p) { totalCount } }`, { p: patientB });
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
    const forged = await h.gql(`query($p: ID!) { sessions(patientId: $p) { totalCount } }`, { p: patientA }, `${tokenA}x`);
    expect([forged.status, errorCode(forged)]).toEqual([401, 'UNAUTHENTICATED']);
    const patientStats = await h.gql(`{ feedbackDailyStats { total } }`, {}, tokenA);
    expect(errorCode(patientStats)).toBe('FORBIDDEN');
  });

  it('_service needs a token like every field; any role may compose', async () => {
    const anonymous = await h.gql<{ _service: { sdl: string } }>(`{ _service { sdl } }`);
    expect([anonymous.status, errorCode(anonymous)]).toEqual([401, 'UNAUTHENTICATED']);
    const result = await h.gql<{ _service: { sdl: string } }>(`{ _service { sdl } }`, {}, await h.token('analyst'));
    expect(result.data?._service.sdl).toMatch(/type Session\s+@key\(fields: "id"\)/);
  });
});

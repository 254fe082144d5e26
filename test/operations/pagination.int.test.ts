import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSessions } from './seed.js';
import { errorCode, startHarness, type OperationsHarness } from './support.js';

const sessionsPage = `query($patientId: ID!, $first: Int, $after: String, $status: SessionStatus) {
  sessions(patientId: $patientId, first: $first, after: $after, status: $status) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }
  }
}`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
}

describe('operations: cursor pagination', () => {
  let h: OperationsHarness;
  let token: string;

  beforeAll(async () => {
    h = await startHarness();
    token = await h.token('clinician');
  });
  afterAll(() => h.stop());

  async function page(patientId: string, first: number, after?: string | null, status?: string): Promise<Page> {
    const result = await h.gql<{ sessions: Page }>(sessionsPage, { patientId, first, after, status }, token);
    expect(result.errors).toBeUndefined();
    return result.data!.sessions;
  }

  it('an empty list: no edges, no next page, no cursor, totalCount 0', async () => {
    expect(await page(`pt-${h.run}-nobody`, 20)).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
  });

  it('an exact page: all rows, no next page', async () => {
    const patient = `pt-${h.run}-exact`;
    const seeded = await seedSessions(h.sql, `${h.run}-exact`, patient, 3);
    const result = await page(patient, 3);
    expect(result.edges.map((edge) => edge.node.id)).toEqual(seeded.map((s) => s.id));
    expect(result.pageInfo).toEqual({ hasNextPage: false, endCursor: result.edges[2]?.cursor });
    expect(result.totalCount).toBe(3);
  });

  it('walks pages most recent first until the last (short) page', async () => {
    const patient = `pt-${h.run}-walk`;
    const ids = (await seedSessions(h.sql, `${h.run}-walk`, patient, 5)).map((s) => s.id);
    const one = await page(patient, 2);
    const two = await page(patient, 2, one.pageInfo.endCursor);
    const three = await page(patient, 2, two.pageInfo.endCursor);
    expect([one, two, three].map((p) => p.edges.map((edge) => edge.node.id))).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    expect([one, two, three].map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect(three.totalCount).toBe(5);
    const afterLast = await page(patient, 2, three.pageInfo.endCursor);
    expect(afterLast.edges).toEqual([]);
  });

  it('filters by status and pages messages chronologically', async () => {
    const patient = `pt-${h.run}-status`;
    const [active] = await seedSessions(h.sql, `${h.run}-act`, patient, 1, { messages: 5 });
    await seedSessions(h.sql, `${h.run}-end`, patient, 2, { status: 'ended' });
    const ended = await page(patient, 10, null, 'ENDED');
    expect(ended.totalCount).toBe(2);
    expect(ended.edges.map((edge) => edge.node.id)).toEqual([`${h.run}-end-s0001`, `${h.run}-end-s0002`]);

    const messagesQuery = `query($id: ID!, $after: String) { session(id: $id) { messages(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }`;
    type Messages = { session: { messages: Page } };
    const first = await h.gql<Messages>(messagesQuery, { id: active!.id }, token);
    const second = await h.gql<Messages>(messagesQuery, { id: active!.id, after: first.data?.session.messages.pageInfo.endCursor }, token);
    const third = await h.gql<Messages>(messagesQuery, { id: active!.id, after: second.data?.session.messages.pageInfo.endCursor }, token);
    const pages = [first, second, third].map((r) => r.data!.session.messages);
    expect(pages.map((p) => p.edges.map((edge) => edge.node.id))).toEqual([active!.messageIds.slice(0, 2), active!.messageIds.slice(2, 4), active!.messageIds.slice(4)]);
    expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect(pages[0]?.totalCount).toBe(5);
  });

  it('pages rows whose timestamps differ only in microseconds (migrated legacy values keep them)', async () => {
    const patient = `pt-${h.run}-micro`;
    const session = `${h.run}-micro-s`;
    await h.sql.query(`INSERT INTO sessions (id, patient_id, created_at, last_activity) VALUES ($1, $2, '2026-01-14T09:31:02.123456Z', '2026-01-14T09:31:02.123456Z')`, [session, patient]);
    const stamps = ['2026-01-14T09:31:02.123001Z', '2026-01-14T09:31:02.123002Z', '2026-01-14T09:31:02.123999Z', '2026-01-14T09:31:02.124000Z'];
    for (const [index, at] of stamps.entries()) {
      // ids in the reverse of time order: the order must come from the microseconds
      await h.sql.query(`INSERT INTO messages (id, session_id, patient_id, role, content, created_at) VALUES ($1, $2, $3, 'user', 'x', $4)`, [`${session}-m${9 - index}`, session, patient, at]);
    }
    const query = `query($id: ID!, $after: String) { session(id: $id) { createdAt messages(first: 1, after: $after) { pageInfo { endCursor } edges { node { id createdAt } } } } }`;
    const seen: string[] = [];
    let after: string | null | undefined = null;
    for (let step = 0; step < 5; step += 1) {
      const result: { data?: { session: { createdAt: string; messages: Page } } | null } = await h.gql(query, { id: session, after }, token);
      expect(result.data?.session.createdAt).toBe('2026-01-14T09:31:02.123Z');
      seen.push(...result.data!.session.messages.edges.map((edge) => edge.node.id));
      after = result.data!.session.messages.pageInfo.endCursor;
      if (!after) break;
    }
    expect(seen).toEqual([9, 8, 7, 6].map((n) => `${session}-m${n}`));
    const { rows } = await h.sql.query<{ at: string }>(`SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at FROM sessions WHERE id = $1`, [session]);
    expect(rows[0]?.at).toBe('2026-01-14T09:31:02.123456');
  });

  it('refuses a forged cursor and page sizes outside 0..100', async () => {
    const patient = `pt-${h.run}-exact`;
    for (const variables of [{ first: 2, after: 'not-a-cursor' }, { first: -1 }, { first: 101 }]) {
      const result = await h.gql(sessionsPage, { patientId: patient, ...variables }, token);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
    }
    expect((await page(patient, 0)).edges).toEqual([]);
  });

  it('a page of 50 sessions with messages and feedback costs the same 4 statements as a page of 5', async () => {
    const patient = `pt-${h.run}-batch`;
    await seedSessions(h.sql, `${h.run}-batch`, patient, 50, { messages: 4, feedback: 2 });
    const query = `query($patientId: ID!, $first: Int) {
      sessions(patientId: $patientId, first: $first) {
        totalCount
        edges { node { id patient { id } messageCount
          messages(first: 10) { totalCount edges { node { id content mentions { id } session { id title } } } }
          feedback { id rating feedbackType } } }
      }
    }`;
    const measure = async (first: number) => {
      h.statements.count = 0;
      const result = await h.gql<{ sessions: { edges: { node: { messages: { edges: unknown[] }; feedback: unknown[] } }[] } }>(query, { patientId: patient, first }, token);
      expect(result.errors).toBeUndefined();
      const edges = result.data!.sessions.edges;
      expect(edges).toHaveLength(first);
      expect(edges.every((edge) => edge.node.messages.edges.length === 4 && edge.node.feedback.length === 2)).toBe(true);
      return h.statements.count;
    };
    // sessions page, totalCount, messages of every session (one lateral join), feedback of every session
    expect(await measure(50)).toBe(4);
    expect(await measure(5)).toBe(4);
  });
});

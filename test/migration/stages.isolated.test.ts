import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageIndex, type MigrationStage } from '../../migration/stages/stage-rules.js';
import { Redis } from 'ioredis';
import { streamName } from '../../lib/event-contracts.js';
import { decodeStreamEntry } from '../../lib/events.js';
import { postMessage, readEverything, startSession, writeConversations, type WrittenConversations } from './conversation-script.js';
import { waitForRelay } from './relay-wait.js';
import { startMigrationWorld, type MigrationWorld } from './world.js';

/** Every stage, forward one at a time through the rollout, then back to legacy (as a rollback would go). */
const path: { stage: MigrationStage; rolloutPercent?: number }[] = [
  { stage: 'shadow' },
  { stage: 'live', rolloutPercent: 0 },
  { stage: 'live', rolloutPercent: 50 },
  { stage: 'live', rolloutPercent: 100 },
  { stage: 'rampdown' },
  { stage: 'complete' },
  { stage: 'rampdown' },
  { stage: 'live', rolloutPercent: 30 },
  { stage: 'shadow' },
  { stage: 'dual_write' },
  { stage: 'legacy' },
];

describe('migration stages: the API answers the same in every stage (seed 3.4)', () => {
  let world: MigrationWorld;
  let written: WrittenConversations;
  let baseline: Record<string, unknown>;
  let clinician: string;

  beforeAll(async () => {
    world = await startMigrationWorld('stages');
    await world.startReplica();
    await world.setStage('sessions', 'dual_write');
    await world.setStage('feedback', 'dual_write');
    written = await writeConversations(world, `st-${world.run}`);
    await waitForRelay(world);
    clinician = await world.token('clinician');
    baseline = await readEverything(world, written, clinician);
  }, 180_000);
  afterAll(() => world?.stop());

  it('patient isolation holds at dual_write (and at every stage below)', async () => {
    expect(await isolationCodes(world, written)).toEqual(expectedIsolation);
  });

  it('the baseline answers are complete and free of errors', () => {
    const failures = Object.entries(baseline).filter(([, answer]) => (answer as { errors?: unknown }).errors);
    expect(failures).toEqual([]);
    const sessions = baseline[`sessions:${written.patients[0]}`] as { data: { sessions: { totalCount: number; edges: { node: { messageCount: number; feedback: unknown[] } }[] } } };
    expect(sessions.data.sessions.totalCount).toBe(3);
    expect(sessions.data.sessions.edges.map((edge) => edge.node.messageCount)).toEqual([6, 6, 6]);
    expect(sessions.data.sessions.edges.flatMap((edge) => edge.node.feedback)).toHaveLength(5);
    expect((baseline[`search:${written.patients[0]}`] as string[]).length).toBe(9);
  });

  let previous: MigrationStage = 'dual_write';
  for (const step of path) {
    it(`answers as at dual_write at ${step.stage}${step.rolloutPercent === undefined ? '' : ` (${step.rolloutPercent}%)`}`, async () => {
      // feedback refers to sessions: sessions move first forward, last backward
      const order = stageIndex(step.stage) >= stageIndex(previous) ? (['sessions', 'feedback'] as const) : (['feedback', 'sessions'] as const);
      previous = step.stage;
      // the data was written in both stores through dual-write: the backfill and verification gates are forced past
      for (const domain of order) await world.setStage(domain, step.stage, { ...(step.rolloutPercent === undefined ? {} : { rolloutPercent: step.rolloutPercent }), force: true });
      expect(await readEverything(world, written, clinician)).toEqual(baseline);
      expect(await isolationCodes(world, written)).toEqual(expectedIsolation);
      // what subscribers are sent, from whichever store decides: once, after the commit
      const sessionId = await startSession(world, clinician, `st-${world.run}-events`, step.stage);
      const messageId = await postMessage(world, clinician, sessionId, 'USER', `at ${step.stage}`);
      expect(await sessionEventsOf(world, sessionId)).toEqual([
        { type: 'session.updated', payload: { sessionId, status: 'ACTIVE' } },
        { type: 'message.added', payload: { sessionId, messageId } },
        { type: 'session.updated', payload: { sessionId, status: 'ACTIVE' } },
      ]);
    });
  }
});

/** The session events of one session on the world's stream (waiting a moment for the relay at legacy stages), in order, each once. */
async function sessionEventsOf(world: MigrationWorld, sessionId: string): Promise<{ type: string; payload: Record<string, unknown> }[]> {
  const redis = new Redis(world.config.redis.url);
  try {
    const read = async () => {
      const entries = (await redis.xrange(streamName(world.config.eventStreamPrefix, 'sessions'), '-', '+')) as [string, string[]][];
      // publishing is at least once: a repeated copy of an event (its id) is the same event
      const seen = new Set<string>();
      return entries.flatMap(([, fields]) => {
        const event = decodeStreamEntry<Record<string, unknown>>(fields);
        if (!event || event.payload.sessionId !== sessionId || seen.has(event.id)) return [];
        seen.add(event.id);
        const { type, payload } = event;
        return [{ type, payload: type === 'message.added' ? { sessionId, messageId: payload.messageId } : { sessionId, status: payload.status } }];
      });
    };
    for (let waited = 0; (await read()).length < 3 && waited < 10_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    // a duplicate would come right behind
    await new Promise((resolve) => setTimeout(resolve, 300));
    return await read();
  } finally {
    redis.disconnect();
  }
}

/** What patient A may not see of patient B, whichever store serves it: every one FORBIDDEN. */
async function isolationCodes(world: MigrationWorld, written: WrittenConversations): Promise<Record<string, unknown>> {
  const [patientA, patientB] = written.patients as [string, string];
  const token = await world.token('patient', patientA);
  const ownSession = written.sessionIds[0];
  const otherSession = written.sessionIds[3];
  const otherMessage = written.messageIds[written.messageIds.length - 1];
  const code = async (query: string, variables: Record<string, unknown>) => {
    const result = await world.gql(query, variables, token);
    return result.errors?.[0]?.extensions?.code ?? 'allowed';
  };
  return {
    own: await code(`query($id: ID!) { session(id: $id) { id messages { edges { node { id } } } feedback { id } } }`, { id: ownSession }),
    ownList: await code(`query($p: ID!) { sessions(patientId: $p) { totalCount } }`, { p: patientA }),
    session: await code(`query($id: ID!) { session(id: $id) { id } }`, { id: otherSession }),
    sessions: await code(`query($p: ID!) { sessions(patientId: $p) { totalCount } }`, { p: patientB }),
    search: await code(`query($p: ID!) { searchMessages(patientId: $p, text: "fever") { snippet } }`, { p: patientB }),
    message: await code(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Message { content } } }`, { r: [{ __typename: 'Message', id: otherMessage }] }),
    sessionEntity: await code(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Session { title } } }`, { r: [{ __typename: 'Session', id: otherSession }] }),
    patientEntity: await code(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { sessions { totalCount } } } }`, { r: [{ __typename: 'Patient', id: patientB }] }),
    post: await code(`mutation($s: ID!) { postMessage(input: { sessionId: $s, role: USER, content: "hello" }) { id } }`, { s: otherSession }),
  };
}

const expectedIsolation = { own: 'allowed', ownList: 'allowed', session: 'FORBIDDEN', sessions: 'FORBIDDEN', search: 'FORBIDDEN', message: 'FORBIDDEN', sessionEntity: 'FORBIDDEN', patientEntity: 'FORBIDDEN', post: 'FORBIDDEN' };

describe('migration stages: reads go where the stage says, and shadow reads compare', () => {
  let world: MigrationWorld;
  let written: WrittenConversations;

  beforeAll(async () => {
    world = await startMigrationWorld('routing');
    await world.startReplica();
    await world.setStage('sessions', 'dual_write');
    written = await writeConversations(world, `rt-${world.run}`);
    await waitForRelay(world);
  }, 180_000);
  afterAll(() => world?.stop());

  const titleQuery = `query($id: ID!) { session(id: $id) { title } }`;
  type Shadow = { migrationStatus: { shadow: { matches: number; mismatches: number; fields: { field: string; mismatches: number }[]; recentMismatches: { recordId: string; fields: string[] }[] } }[] };

  it('serves legacy before live and PostgreSQL after; shadow reads count the difference by field, naming the record only', async () => {
    const id = written.sessionIds[0] as string;
    const clinician = await world.token('clinician');
    const admin = await world.token('admin');
    // the two stores disagree on one title (as a bug or a lost write would leave them)
    await world.sql.query(`UPDATE sessions SET title = 'only in PostgreSQL' WHERE id = $1`, [id]);
    const title = async () => ((await world.gql<{ session: { title: string } }>(titleQuery, { id }, clinician)).data?.session.title);
    expect(await title()).toBe('Renamed');
    await world.setStage('sessions', 'shadow');
    expect(await title()).toBe('Renamed');
    await world.setStage('sessions', 'live', { rolloutPercent: 100, force: true });
    expect(await title()).toBe('only in PostgreSQL');
    await world.setStage('sessions', 'rampdown');
    expect(await title()).toBe('only in PostgreSQL');
    await world.setStage('sessions', 'dual_write', { force: true });
    expect(await title()).toBe('Renamed');

    // counts reach PostgreSQL on the recorder's flush (every 5 s)
    await new Promise((resolve) => setTimeout(resolve, 5500));
    const status = await world.gql<Shadow>(`{ migrationStatus(domains: [SESSIONS]) { shadow { matches mismatches fields { field mismatches } recentMismatches { recordId fields } } } }`, {}, admin);
    const shadow = status.data!.migrationStatus[0]!.shadow;
    expect(shadow.mismatches).toBe(2);
    expect(shadow.matches).toBe(0);
    expect(shadow.fields.filter((field) => field.mismatches > 0)).toEqual([{ field: 'title', mismatches: 2 }]);
    expect(shadow.recentMismatches).toEqual([{ recordId: id, fields: ['title'] }, { recordId: id, fields: ['title'] }]);
  });

  it('holds every record once in each store', async () => {
    const { rows } = await world.sql.query<{ sessions: number; messages: number }>(`SELECT (SELECT count(*)::int FROM sessions) AS sessions, (SELECT count(*)::int FROM messages) AS messages`);
    const { records } = await world.legacy.executeQuery(`MATCH (s:ConversationSession) WITH count(s) AS sessions MATCH (m:Message) RETURN sessions, count(m) AS messages`);
    expect(rows[0]).toEqual({ sessions: written.sessionIds.length, messages: written.messageIds.length });
    expect({ sessions: records[0]?.get('sessions').toNumber(), messages: records[0]?.get('messages').toNumber() }).toEqual(rows[0]);
  });
});

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createPool, enqueueEvent, publishPendingEvents } from '../../subgraphs/operations/store/index.js';
import { seedSessions, type SeededSession } from './seed.js';
import { countRows, errorCode, startHarness, type OperationsHarness } from './support.js';

const submitFeedback = `mutation($input: FeedbackInput!) { submitFeedback(input: $input) { id responseId rating feedbackType severity correction createdAt } }`;

interface StreamEntry {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

async function readStream(redis: Redis, stream: string): Promise<StreamEntry[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.map(([, fields]) => {
    const record = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) record.set(fields[i]!, fields[i + 1]!);
    return { id: record.get('id')!, type: record.get('type')!, payload: JSON.parse(record.get('payload')!) as Record<string, unknown> };
  });
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('operations: feedback, events and preference pairs', () => {
  let h: OperationsHarness;
  let redis: Redis;
  let patient: string;
  let patientToken: string;
  let session: SeededSession;

  beforeAll(async () => {
    h = await startHarness();
    redis = new Redis(h.config.redis.url);
    patient = `pt-${h.run}-fb`;
    patientToken = await h.token('patient', patient);
    // user messages are odd, assistant answers even: responses -r2, -r4, -r6 each answer the message before
    [session] = (await seedSessions(h.sql, `${h.run}-fb`, patient, 1, { messages: 6 })) as [SeededSession];
  });
  afterAll(async () => {
    redis.disconnect();
    await h.stop();
  });

  it('submitFeedback stores the row from the stored answer, its audit entry, and publishes one feedback.submitted event', async () => {
    const input = { responseId: `${session.id}-r2`, rating: 2, feedbackType: 'INCORRECT', severity: 'CRITICAL', entityIds: ['entity:2', 'entity:2'] };
    const result = await h.gql<{ submitFeedback: { id: string; rating: number; feedbackType: string; severity: string } }>(submitFeedback, { input }, patientToken);
    expect(result.errors).toBeUndefined();
    const saved = result.data!.submitFeedback;
    expect(saved).toMatchObject({ responseId: `${session.id}-r2`, rating: 2, feedbackType: 'INCORRECT', severity: 'CRITICAL', correction: null });
    const { rows } = await h.sql.query(`SELECT session_id, patient_id, query_text, response_text, entity_ids, layers_traversed FROM feedback WHERE id = $1`, [saved.id]);
    // the session, question, answer and entities come from the conversation
    expect(rows).toEqual([{ session_id: session.id, patient_id: patient, query_text: `Message 1 of ${session.id}`, response_text: `Message 2 of ${session.id}`, entity_ids: ['entity:2'], layers_traversed: [] }]);
    expect(await countRows(h.sql, `SELECT count(*) FROM audit_logs WHERE entity_id = $1 AND action = 'feedback.submit'`, [saved.id])).toBe(1);

    const events = await waitFor(async () => {
      const all = await readStream(redis, `${h.config.eventStreamPrefix}:feedback`);
      return all.length > 0 ? all : undefined;
    });
    expect(events).toEqual([
      {
        id: `feedback:${saved.id}`,
        type: 'feedback.submitted',
        payload: {
          feedbackId: saved.id,
          responseId: `${session.id}-r2`,
          sessionId: session.id,
          patientId: patient,
          rating: 2,
          feedbackType: 'INCORRECT',
          severity: 'CRITICAL',
          entityIds: ['entity:2'],
          layers: [],
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown as string,
        },
      },
    ]);
    expect(await countRows(h.sql, `SELECT count(*) FROM outbox_events WHERE event_id = $1 AND published_at IS NOT NULL`, [`feedback:${saved.id}`])).toBe(1);
  });

  it('submitThumbs stores 5/HELPFUL up and 1/UNHELPFUL down', async () => {
    const up = await h.gql<{ submitThumbs: { rating: number; feedbackType: string } }>(`mutation { submitThumbs(responseId: "${session.id}-r4", up: true) { rating feedbackType } }`, {}, patientToken);
    const down = await h.gql<{ submitThumbs: { rating: number; feedbackType: string } }>(
      `mutation($s: ID) { submitThumbs(responseId: "${session.id}-r6", up: false, sessionId: $s) { rating feedbackType } }`,
      { s: session.id },
      patientToken,
    );
    expect([up.data?.submitThumbs, down.data?.submitThumbs]).toEqual([
      { rating: 5, feedbackType: 'HELPFUL' },
      { rating: 1, feedbackType: 'UNHELPFUL' },
    ]);
  });

  it('bad ratings, unknown enum values and unknown sessions change nothing', async () => {
    const before = await countRows(h.sql, `SELECT count(*) FROM feedback WHERE patient_id = $1`, [patient]);
    const base = { responseId: `bad-${h.run}`, feedbackType: 'HELPFUL' };
    expect(errorCode(await h.gql(submitFeedback, { input: { ...base, rating: 0 } }, patientToken))).toBe('BAD_USER_INPUT');
    expect(errorCode(await h.gql(submitFeedback, { input: { ...base, rating: 6 } }, patientToken))).toBe('BAD_USER_INPUT');
    expect(errorCode(await h.gql(submitFeedback, { input: { ...base, rating: 3, feedbackType: 'GREAT' } }, patientToken))).toBe('BAD_USER_INPUT');
    expect(errorCode(await h.gql(submitFeedback, { input: { ...base, rating: 3, layers: ['BASEMENT'] } }, patientToken))).toBe('BAD_USER_INPUT');
    expect(errorCode(await h.gql(submitFeedback, { input: { ...base, rating: 3, sessionId: `none-${h.run}` } }, patientToken))).toBe('NOT_FOUND');
    expect(await countRows(h.sql, `SELECT count(*) FROM feedback WHERE patient_id = $1`, [patient])).toBe(before);
    expect(await countRows(h.sql, `SELECT count(*) FROM outbox_events WHERE payload->>'responseId' = $1`, [`bad-${h.run}`])).toBe(0);
  });

  it('takes question, answer and entities from the conversation: a feedback cannot rewrite them', async () => {
    const [other] = (await seedSessions(h.sql, `${h.run}-fx`, patient, 1, { messages: 2 })) as [SeededSession];
    const before = await countRows(h.sql, `SELECT count(*) FROM feedback WHERE patient_id = $1`, [patient]);
    const base = { responseId: `${other.id}-r2`, rating: 1, feedbackType: 'INCORRECT' };
    const refused = [
      [{ ...base, responseId: `missing-${h.run}` }, 'NOT_FOUND'],
      [{ ...base, responseText: 'Something the assistant never said' }, 'BAD_USER_INPUT'],
      [{ ...base, queryText: 'A question nobody asked' }, 'BAD_USER_INPUT'],
      [{ ...base, entityIds: ['entity:2', 'drug:never-mentioned'] }, 'BAD_USER_INPUT'],
      [{ ...base, layers: ['REASONING'] }, 'FORBIDDEN'],
      [{ ...base, sessionId: session.id }, 'BAD_USER_INPUT'],
    ] as const;
    for (const [input, code] of refused) expect(errorCode(await h.gql(submitFeedback, { input }, patientToken)), JSON.stringify(input)).toBe(code);
    expect(await countRows(h.sql, `SELECT count(*) FROM feedback WHERE patient_id = $1`, [patient])).toBe(before);

    const same = await h.gql(submitFeedback, { input: { ...base, queryText: `  Message 1 of ${other.id} `, responseText: `Message 2 of ${other.id}` } }, patientToken);
    expect(same.errors).toBeUndefined();
    // one rating per caller and answer
    expect(errorCode(await h.gql(submitFeedback, { input: base }, patientToken))).toBe('CONFLICT');
    // the assistant service may state the layers an answer went through
    const service = await h.token('service');
    const annotated = await h.gql(submitFeedback, { input: { ...base, layers: ['REASONING'] } }, service);
    expect(annotated.errors).toBeUndefined();
  });

  it('derives preference pairs from corrections and from rating gaps on the same question', async () => {
    const clinician = await h.token('clinician');
    const query = `What dose of drug ${h.run}?`;
    const pairSession = `${h.run}-pairs`;
    await h.sql.query(`INSERT INTO sessions (id, patient_id, title) VALUES ($1, $2, 'pairs')`, [pairSession, patient]);
    const turns = [
      [query, 'Take 10 g.', 'c'],
      [query, 'Ask your clinician; usually 10 mg.', 'good'],
      [`  ${query.toUpperCase()} `, 'Any dose is fine.', 'bad'],
    ] as const;
    for (const [index, [question, answer, response]] of turns.entries()) {
      await h.sql.query(
        `INSERT INTO messages (id, session_id, patient_id, role, content, response_id, created_at) VALUES
           ($1 || '-q', $2, $3, 'user', $4, NULL, now() + make_interval(secs => $6 * 2)),
           ($1 || '-a', $2, $3, 'assistant', $5, $1, now() + make_interval(secs => $6 * 2 + 1))`,
        [`${h.run}-${response}`, pairSession, patient, question, answer, index],
      );
    }
    const send = (input: Record<string, unknown>) => h.gql(submitFeedback, { input: { feedbackType: 'HELPFUL', ...input } }, clinician);
    await send({ responseId: `${h.run}-c`, rating: 2, correction: 'Take 10 mg.', feedbackType: 'INCORRECT' });
    await send({ responseId: `${h.run}-good`, rating: 5 });
    await send({ responseId: `${h.run}-bad`, rating: 1 });
    const { rows } = await h.sql.query(
      `SELECT source, chosen, rejected, rating_gap FROM preference_pairs WHERE prompt ILIKE $1 ORDER BY source, rating_gap DESC, chosen, rejected`,
      [`%${h.run}%`],
    );
    expect(rows).toEqual([
      { source: 'correction', chosen: 'Take 10 mg.', rejected: 'Take 10 g.', rating_gap: 3 },
      { source: 'rating_gap', chosen: 'Ask your clinician; usually 10 mg.', rejected: 'Any dose is fine.', rating_gap: 4 },
      { source: 'rating_gap', chosen: 'Ask your clinician; usually 10 mg.', rejected: 'Take 10 g.', rating_gap: 3 },
      { source: 'rating_gap', chosen: 'Take 10 g.', rejected: 'Any dose is fine.', rating_gap: 1 },
    ]);
    const pipeline = await h.token('service');
    const listed = await h.gql<{ preferencePairs: { prompt: string; ratingGap: number }[] }>(`{ preferencePairs(minRatingGap: 3, first: 1000) { prompt ratingGap } }`, {}, pipeline);
    expect(listed.data?.preferencePairs.filter((pair) => pair.prompt.toLowerCase().includes(h.run)).map((pair) => pair.ratingGap)).toEqual([4, 3, 3]);
    // pairs are message content: analysts read aggregates, not them
    expect(errorCode(await h.gql(`{ preferencePairs { prompt } }`, {}, await h.token('analyst')))).toBe('FORBIDDEN');
  });

  it('a feedback event that could not be published is kept in the outbox and published later', async () => {
    const prefix = `test-ops-${h.run}-outbox`;
    const pool = createPool(h.config.postgres.url, { max: 2 });
    const db = createDatabase(pool);
    try {
      const event = { eventId: `feedback:${h.run}-late`, stream: `${prefix}:feedback`, type: 'feedback.submitted' as const, payload: { feedbackId: `${h.run}-late` } };
      await db.transaction((tx) => enqueueEvent(tx, event));
      const failing = async () => {
        throw new Error('redis is down');
      };
      expect(await publishPendingEvents(db, failing, { streamPrefix: prefix })).toBe(0);
      const { rows } = await h.sql.query(`SELECT attempts, last_error, published_at FROM outbox_events WHERE event_id = $1`, [event.eventId]);
      expect(rows).toEqual([{ attempts: 1, last_error: 'redis is down', published_at: null }]);

      const delivered: string[] = [];
      expect(await publishPendingEvents(db, async (row) => void delivered.push(row.eventId), { streamPrefix: prefix })).toBe(1);
      expect(delivered).toEqual([event.eventId]);
      // a replay of the relay finds nothing left to publish
      expect(await publishPendingEvents(db, async (row) => void delivered.push(row.eventId), { streamPrefix: prefix })).toBe(0);
    } finally {
      await pool.end();
    }
  });
});

describe('operations: feedback limits per patient and per entity', () => {
  let h: OperationsHarness;

  beforeAll(async () => {
    h = await startHarness({ FEEDBACK_LIMIT_PER_PATIENT_PER_DAY: '4', FEEDBACK_LIMIT_PER_ENTITY_PER_DAY: '2' });
  });
  afterAll(() => h.stop());

  it('refuses feedback past the daily limits, naming the entity, and stores none of it', async () => {
    const patient = `pt-${h.run}-lim`;
    // answers -r2, -r4, ... each mention entity:<j> (seed.ts); two sessions make -r2 mention entity:2 twice
    const sessions = await seedSessions(h.sql, `${h.run}-lim`, patient, 3, { messages: 4 });
    const token = await h.token('patient', patient);
    const rate = (responseId: string) => h.gql(`mutation($r: ID!) { submitThumbs(responseId: $r, up: false) { id } }`, { r: responseId }, token);
    const [first, second, third] = sessions as [SeededSession, SeededSession, SeededSession];
    expect((await rate(`${first.id}-r2`)).errors).toBeUndefined();
    expect((await rate(`${second.id}-r2`)).errors).toBeUndefined();
    const perEntity = await rate(`${third.id}-r2`);
    expect([errorCode(perEntity), perEntity.errors?.[0]?.message]).toEqual(['RATE_LIMITED', 'At most 2 feedback a day may concern entity entity:2; try again tomorrow']);
    expect((await rate(`${first.id}-r4`)).errors).toBeUndefined();
    expect((await rate(`${second.id}-r4`)).errors).toBeUndefined();
    const perPatient = await rate(`${third.id}-r4`);
    expect(errorCode(perPatient)).toBe('RATE_LIMITED');
    expect(await countRows(h.sql, `SELECT count(*) FROM feedback WHERE patient_id = $1`, [patient])).toBe(4);
  });

  it('counts concurrent submissions for one patient one after another', async () => {
    const patient = `pt-${h.run}-race`;
    const sessions = await seedSessions(h.sql, `${h.run}-race`, patient, 8, { messages: 2 });
    const token = await h.token('patient', patient);
    await Promise.all(sessions.map((seeded) => h.gql(`mutation($r: ID!) { submitThumbs(responseId: $r, up: true) { id } }`, { r: `${seeded.id}-r2` }, token)));
    // 8 answers all mention entity:2: the per-entity limit of 2 holds under concurrency
    expect(await countRows(h.sql, `SELECT count(*) FROM feedback WHERE patient_id = $1`, [patient])).toBe(2);
  });
});

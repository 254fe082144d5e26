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
    [session] = (await seedSessions(h.sql, `${h.run}-fb`, patient, 1, { messages: 2 })) as [SeededSession];
  });
  afterAll(async () => {
    redis.disconnect();
    await h.stop();
  });

  it('submitFeedback stores the row, its audit entry and publishes one feedback.submitted event', async () => {
    const input = { responseId: `${session.id}-r2`, rating: 2, feedbackType: 'INCORRECT', severity: 'CRITICAL', entityIds: ['drug:x', 'drug:x'], layers: ['SEMANTIC'] };
    const result = await h.gql<{ submitFeedback: { id: string; rating: number; feedbackType: string; severity: string } }>(submitFeedback, { input }, patientToken);
    expect(result.errors).toBeUndefined();
    const saved = result.data!.submitFeedback;
    expect(saved).toMatchObject({ responseId: `${session.id}-r2`, rating: 2, feedbackType: 'INCORRECT', severity: 'CRITICAL', correction: null });
    const { rows } = await h.sql.query(`SELECT session_id, patient_id, entity_ids, layers_traversed FROM feedback WHERE id = $1`, [saved.id]);
    // the session was found from the response id
    expect(rows).toEqual([{ session_id: session.id, patient_id: patient, entity_ids: ['drug:x'], layers_traversed: ['SEMANTIC'] }]);
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
          entityIds: ['drug:x'],
          layers: ['SEMANTIC'],
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown as string,
        },
      },
    ]);
    expect(await countRows(h.sql, `SELECT count(*) FROM outbox_events WHERE event_id = $1 AND published_at IS NOT NULL`, [`feedback:${saved.id}`])).toBe(1);
  });

  it('submitThumbs stores 5/HELPFUL up and 1/UNHELPFUL down', async () => {
    const up = await h.gql<{ submitThumbs: { rating: number; feedbackType: string } }>(`mutation { submitThumbs(responseId: "${session.id}-r2", up: true) { rating feedbackType } }`, {}, patientToken);
    const down = await h.gql<{ submitThumbs: { rating: number; feedbackType: string } }>(
      `mutation($s: ID) { submitThumbs(responseId: "free-${h.run}", up: false, sessionId: $s) { rating feedbackType } }`,
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

  it('derives preference pairs from corrections and from rating gaps on the same query', async () => {
    const clinician = await h.token('clinician');
    const query = `What dose of drug ${h.run}?`;
    const send = (input: Record<string, unknown>) => h.gql(submitFeedback, { input: { feedbackType: 'HELPFUL', queryText: query, ...input } }, clinician);
    await send({ responseId: `${h.run}-c`, rating: 2, responseText: 'Take 10 g.', correction: 'Take 10 mg.', feedbackType: 'INCORRECT' });
    await send({ responseId: `${h.run}-good`, rating: 5, responseText: 'Ask your clinician; usually 10 mg.' });
    await send({ responseId: `${h.run}-bad`, rating: 1, responseText: 'Any dose is fine.', queryText: `  ${query.toUpperCase()} ` });
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
    const analyst = await h.token('analyst');
    const listed = await h.gql<{ preferencePairs: { prompt: string; ratingGap: number }[] }>(`{ preferencePairs(minRatingGap: 3, first: 1000) { prompt ratingGap } }`, {}, analyst);
    expect(listed.data?.preferencePairs.filter((pair) => pair.prompt.toLowerCase().includes(h.run)).map((pair) => pair.ratingGap)).toEqual([4, 3, 3]);
  });

  it('a feedback event that could not be published is kept in the outbox and published later', async () => {
    const prefix = `test-ops-${h.run}-outbox`;
    const pool = createPool(h.config.postgres.url, { max: 2 });
    const db = createDatabase(pool);
    try {
      const event = { eventId: `feedback:${h.run}-late`, stream: `${prefix}:feedback`, type: 'feedback.submitted', payload: { feedbackId: `${h.run}-late` } };
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

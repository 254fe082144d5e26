import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type OperationsHarness } from './support.js';

/** More pairs than one FETCH batch (1000), so the cursor loop runs several times. */
const pairCount = 2500;

describe('operations: streamed JSON Lines export of preference pairs', () => {
  let h: OperationsHarness;
  /** Pairs are message content (lib/policy): the training pipeline (a service) reads them, analysts do not. */
  let reader: string;

  beforeAll(async () => {
    h = await startHarness();
    reader = await h.token('service');
    await h.sql.query(
      `INSERT INTO feedback (id, response_id, rating, feedback_type) SELECT $1 || '-exp-' || i, 'r', 1, 'unhelpful' FROM generate_series(1, $2) AS i`,
      [h.run, pairCount],
    );
    await h.sql.query(
      `INSERT INTO preference_pairs (prompt, chosen, rejected, rating_gap, source, chosen_feedback_id, rejected_feedback_id)
       SELECT 'q ' || $1 || ' ' || i, 'good ' || i, 'bad ' || i, CASE WHEN i % 2 = 0 THEN 3 ELSE 2 END, 'correction', $1 || '-exp-' || i, $1 || '-exp-' || i
       FROM generate_series(1, $2) AS i`,
      [h.run, pairCount],
    );
  });
  afterAll(() => h.stop());

  const exportUrl = (query: string) => h.service.url.replace(/\/graphql$/, `/export/preference-pairs${query}`);

  async function exportLines(format: string, minRatingGap = 2): Promise<Record<string, unknown>[]> {
    const response = await fetch(exportUrl(`?format=${format}&minRatingGap=${minRatingGap}`), { headers: { authorization: `Bearer ${reader}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const text = await response.text();
    expect(text.endsWith('\n')).toBe(true);
    return text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => JSON.stringify(record).includes(`q ${h.run} `));
  }

  it.each([
    ['dpo', { prompt: 'q RUN 2', chosen: 'good 2', rejected: 'bad 2' }],
    ['sft', { prompt: 'q RUN 2', completion: 'good 2' }],
    ['alpaca', { instruction: 'q RUN 2', input: '', output: 'good 2' }],
    ['sharegpt', { conversations: [{ from: 'human', value: 'q RUN 2' }, { from: 'gpt', value: 'good 2' }] }],
    ['openai', { messages: [{ role: 'user', content: 'q RUN 2' }, { role: 'assistant', content: 'good 2' }] }],
  ])('format %s: every pair once, in its shape', async (format, expected) => {
    const lines = await exportLines(format);
    expect(lines).toHaveLength(pairCount);
    const second = lines.find((line) => JSON.stringify(line).includes(`q ${h.run} 2"`));
    expect(second).toEqual(JSON.parse(JSON.stringify(expected).replaceAll('RUN', h.run)));
  });

  it('format raw carries ids and gaps; minRatingGap filters', async () => {
    const lines = await exportLines('raw', 3);
    expect(lines).toHaveLength(pairCount / 2);
    const second = lines.find((line) => line.prompt === `q ${h.run} 2`);
    expect(second).toMatchObject({ chosen: 'good 2', rejected: 'bad 2', ratingGap: 3, source: 'correction', chosenFeedbackId: `${h.run}-exp-2`, rejectedFeedbackId: `${h.run}-exp-2` });
    expect(Object.keys(lines[0]!).sort()).toEqual(['chosen', 'chosenFeedbackId', 'createdAt', 'id', 'prompt', 'ratingGap', 'rejected', 'rejectedFeedbackId', 'source']);
  });

  it('is for services and admins only, and refuses unknown formats', async () => {
    const anonymous = await fetch(exportUrl('?format=dpo'));
    expect(anonymous.status).toBe(401);
    const patient = await fetch(exportUrl('?format=dpo'), { headers: { authorization: `Bearer ${await h.token('patient', 'p')}` } });
    expect(patient.status).toBe(403);
    const clinician = await fetch(exportUrl('?format=dpo'), { headers: { authorization: `Bearer ${await h.token('clinician')}` } });
    expect(clinician.status).toBe(403);
    const analyst = await fetch(exportUrl('?format=dpo'), { headers: { authorization: `Bearer ${await h.token('analyst')}` } });
    expect(analyst.status).toBe(403);
    const admin = await fetch(exportUrl('?format=dpo'), { headers: { authorization: `Bearer ${await h.token('admin')}` } });
    expect(admin.status).toBe(200);
    await admin.body?.cancel();
    const unknown = await fetch(exportUrl('?format=csv'), { headers: { authorization: `Bearer ${reader}` } });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ errors: [{ message: 'format must be one of dpo, sft, alpaca, sharegpt, openai, raw', extensions: { code: 'BAD_USER_INPUT' } }] });
  });
});

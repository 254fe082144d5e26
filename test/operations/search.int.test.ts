import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startHarness, type OperationsHarness } from './support.js';

const search = `query($p: ID!, $text: String!, $first: Int) { searchMessages(patientId: $p, text: $text, first: $first) { rank snippet message { id content } } }`;

interface Hit {
  rank: number;
  snippet: string;
  message: { id: string; content: string };
}

describe('operations: searchMessages', () => {
  let h: OperationsHarness;
  let token: string;
  let patient: string;

  beforeAll(async () => {
    h = await startHarness();
    token = await h.token('clinician');
    patient = `pt-${h.run}-search`;
    const other = `pt-${h.run}-other`;
    await h.sql.query(`INSERT INTO sessions (id, patient_id) VALUES ($1, $2), ($3, $4)`, [`${h.run}-s1`, patient, `${h.run}-s2`, other]);
    const contents = [
      [`${h.run}-m1`, `${h.run}-s1`, patient, 'Ibuprofen can upset the stomach; take ibuprofen with food.'],
      [`${h.run}-m2`, `${h.run}-s1`, patient, 'Paracetamol is gentler on the stomach than ibuprofen.'],
      [`${h.run}-m3`, `${h.run}-s1`, patient, 'Rheumatoid arthritis affects the joints.'],
      [`${h.run}-m4`, `${h.run}-s2`, other, 'Ibuprofen for the other patient.'],
    ];
    for (const [id, session, owner, content] of contents) {
      await h.sql.query(`INSERT INTO messages (id, session_id, patient_id, role, content) VALUES ($1, $2, $3, 'assistant', $4)`, [id, session, owner, content]);
    }
  });
  afterAll(() => h.stop());

  it('ranks full-text matches and highlights them, only in the patient’s own messages', async () => {
    const result = await h.gql<{ searchMessages: Hit[] }>(search, { p: patient, text: 'ibuprofen' }, token);
    const hits = result.data!.searchMessages;
    expect(hits.map((hit) => hit.message.id)).toEqual([`${h.run}-m1`, `${h.run}-m2`]);
    expect(hits[0]!.rank).toBeGreaterThan(hits[1]!.rank);
    expect(hits[0]!.snippet).toBe('<mark>Ibuprofen</mark> can upset the stomach; take <mark>ibuprofen</mark> with food');
  });

  it('falls back to trigram similarity for a typo', async () => {
    const result = await h.gql<{ searchMessages: Hit[] }>(search, { p: patient, text: 'rheumatiod' }, token);
    expect(result.data?.searchMessages.map((hit) => [hit.message.id, hit.snippet])).toEqual([[`${h.run}-m3`, 'Rheumatoid arthritis affects the joints.']]);
    expect(result.data?.searchMessages[0]?.rank).toBeGreaterThan(0.3);
  });

  it('returns nothing for unrelated text and refuses empty text', async () => {
    const none = await h.gql<{ searchMessages: Hit[] }>(search, { p: patient, text: 'zebrafish' }, token);
    expect(none.data?.searchMessages).toEqual([]);
    expect(errorCode(await h.gql(search, { p: patient, text: '  ' }, token))).toBe('BAD_USER_INPUT');
  });
});

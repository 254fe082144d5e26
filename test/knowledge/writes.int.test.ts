import { describe, expect, it } from 'vitest';
import { useSmallGraph } from './support/knowledge-fixture.js';

const world = useSmallGraph();

const upsert = `mutation($input: MedicalEntityInput!) { upsertMedicalEntity(input: $input) { id name type layer confidence description relations { type } } }`;
const relate = `mutation($from: ID!, $to: ID!, $type: String!, $confidence: Float!) {
  relateEntities(fromId: $from, toId: $to, type: $type, confidence: $confidence, layer: SEMANTIC) { type confidence layer target { id type } } }`;

async function countOf(cypher: string, params: Record<string, unknown>): Promise<number> {
  const { records } = await world.kg.driver.executeQuery(cypher, params);
  return records[0]?.get('n') as number;
}

describe('knowledge writes', () => {
  it('creates an entity in the legacy shape, then updates it without touching its layer', async () => {
    const created = await world.kg.query(upsert, { input: { id: world.id('new-drug'), name: 'Risankizumab', type: 'DRUG', confidence: 0.7, description: 'IL-23 p19 antibody' } });
    expect(created).toEqual({ data: { upsertMedicalEntity: { id: world.id('new-drug'), name: 'Risankizumab', type: 'DRUG', layer: 'PERCEPTION', confidence: 0.7, description: 'IL-23 p19 antibody', relations: [] } } });
    const updated = await world.kg.query(upsert, { input: { id: world.id('new-drug'), name: 'Risankizumab-rzaa', type: 'DRUG', confidence: 0.75, layer: 'APPLICATION' } }, { role: 'admin' });
    expect(updated).toEqual({ data: { upsertMedicalEntity: { id: world.id('new-drug'), name: 'Risankizumab-rzaa', type: 'DRUG', layer: 'PERCEPTION', confidence: 0.75, description: null, relations: [] } } });
    expect(await countOf('MATCH (e:Entity:MedicalEntity:Drug {id: $id}) RETURN count(e) AS n', { id: world.id('new-drug') })).toBe(1);
  });

  it('refuses a confidence outside [0, 1], a changed type and a caller without a write role, writing nothing', async () => {
    const tooHigh = await world.kg.query(upsert, { input: { id: world.id('bad'), name: 'Bad', type: 'DRUG', confidence: 1.5 } });
    expect(tooHigh.errors?.[0]).toMatchObject({ message: 'confidence must be within [0, 1], got 1.5', extensions: { code: 'BAD_USER_INPUT' } });
    const retyped = await world.kg.query(upsert, { input: { id: world.id('crohns'), name: 'Crohn', type: 'GENE', confidence: 0.5 } });
    expect(retyped.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const analyst = await world.kg.query(upsert, { input: { id: world.id('bad'), name: 'Bad', type: 'DRUG', confidence: 0.5 } }, { role: 'analyst' });
    expect(analyst.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await countOf('MATCH (e:MedicalEntity {id: $id}) RETURN count(e) AS n', { id: world.id('bad') })).toBe(0);
    expect(await countOf('MATCH (e:Disease {id: $id}) WHERE NOT e:Gene AND e.name STARTS WITH "Crohn disease" RETURN count(e) AS n', { id: world.id('crohns') })).toBe(1);
  });

  it('relates two entities with an allowed type, and refuses other types and confidences', async () => {
    expect(await world.kg.query(relate, { from: world.id('infliximab'), to: world.id('pain'), type: 'TREATS', confidence: 0.4 })).toEqual({
      data: { relateEntities: { type: 'TREATS', confidence: 0.4, layer: 'SEMANTIC', target: { id: world.id('pain'), type: 'SYMPTOM' } } },
    });
    const badType = await world.kg.query(relate, { from: world.id('infliximab'), to: world.id('pain'), type: 'CURES', confidence: 0.4 });
    expect(badType.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badConfidence = await world.kg.query(relate, { from: world.id('infliximab'), to: world.id('nod2'), type: 'TREATS', confidence: -0.1 });
    expect(badConfidence.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await world.kg.query(relate, { from: world.id('infliximab'), to: world.id('missing'), type: 'TREATS', confidence: 0.4 });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await countOf('MATCH (:MedicalEntity {id: $from})-[r]->(:MedicalEntity) RETURN count(r) AS n', { from: world.id('infliximab') })).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { useSmallGraph } from './support/knowledge-fixture.js';

const world = useSmallGraph();

describe('knowledge queries', () => {
  it('reads a MedicalEntity with the type of its second label', async () => {
    const result = await world.kg.query(`query($id: ID!) { medicalEntity(id: $id) { id name type description layer confidence } }`, { id: world.id('infliximab') });
    expect(result).toEqual({
      data: {
        medicalEntity: { id: world.id('infliximab'), name: `Infliximab ${world.kg.prefix}`, type: 'DRUG', description: 'Chimeric anti-TNF monoclonal antibody', layer: 'REASONING', confidence: 0.82 },
      },
    });
  });

  it('returns null, not an error, for an unknown id', async () => {
    const result = await world.kg.query(`{ medicalEntity(id: "${world.kg.prefix}missing") { id } patient(id: "${world.kg.prefix}missing") { id } }`);
    expect(result).toEqual({ data: { medicalEntity: null, patient: null } });
  });

  it('lists relations in both directions with layer and confidence, filtered by type and limited by first', async () => {
    const all = await world.kg.query<{ medicalEntity: { relations: { type: string; confidence: number; layer: string; target: { id: string; type: string } }[] } }>(
      `query($id: ID!) { medicalEntity(id: $id) { relations { type confidence layer target { id type } } } }`,
      { id: world.id('crohns') },
    );
    expect(all.data?.medicalEntity.relations).toEqual([
      { type: 'TREATS', confidence: 0.8, layer: 'SEMANTIC', target: { id: world.id('infliximab'), type: 'DRUG' } },
      { type: 'CAUSES', confidence: 0.7, layer: 'PERCEPTION', target: { id: world.id('pain'), type: 'SYMPTOM' } },
      { type: 'INDICATES', confidence: 0.6, layer: 'APPLICATION', target: { id: world.id('calprotectin'), type: 'TEST' } },
      { type: 'ASSOCIATED_WITH', confidence: 0.5, layer: 'PERCEPTION', target: { id: world.id('nod2'), type: 'GENE' } },
    ]);
    const filtered = await world.kg.query(`query($id: ID!) { medicalEntity(id: $id) { relations(types: ["CAUSES", "ASSOCIATED_WITH"], first: 1) { type target { id } } } }`, { id: world.id('crohns') });
    expect(filtered).toEqual({ data: { medicalEntity: { relations: [{ type: 'CAUSES', target: { id: world.id('pain') } }] } } });
  });

  it('follows relations two hops deep', async () => {
    const result = await world.kg.query(
      `query($id: ID!) { medicalEntity(id: $id) { relations(types: ["TREATS"], first: 10) { target { name relations(types: ["CAUSES"], first: 10) { target { name layerHistory { id } } } } } } }`,
      { id: world.id('infliximab') },
    );
    expect(result).toEqual({
      data: { medicalEntity: { relations: [{ target: { name: `Crohn disease ${world.kg.prefix}`, relations: [{ target: { name: `Abdominal pain ${world.kg.prefix}`, layerHistory: [] } }] } }] } },
    });
  });

  it('refuses a relation type outside the allowed set', async () => {
    const result = await world.kg.query(`query($id: ID!) { medicalEntity(id: $id) { relations(types: ["TREATS", "LIKES"]) { type } } }`, { id: world.id('crohns') });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toBe('Unknown relation type LIKES; allowed: TREATS, CAUSES, INDICATES, ASSOCIATED_WITH, CONTRAINDICATED_WITH');
  });

  it('searches name and description through the full-text index, best match first, with type and layer filters', async () => {
    const ranked = await world.kg.query<{ searchEntities: { id: string }[] }>(`query($text: String!) { searchEntities(text: $text) { id } }`, { text: `calprotectin ${world.kg.tag}` });
    expect(ranked.data?.searchEntities[0]).toEqual({ id: world.id('calprotectin') });
    // Other data may mention calprotectin too: of this file's entities, all five match the tag.
    const ours = ranked.data?.searchEntities.map((hit) => hit.id).filter((hitId) => hitId.startsWith(world.kg.prefix));
    expect(ours?.sort()).toEqual(['calprotectin', 'crohns', 'infliximab', 'nod2', 'pain'].map(world.id).sort());

    const byDescription = await world.kg.query<{ searchEntities: { id: string; type: string }[] }>(
      `query($text: String!) { searchEntities(text: $text, types: [DRUG]) { id type } }`,
      { text: `monoclonal ${world.kg.tag}` },
    );
    expect(byDescription.data?.searchEntities[0]).toEqual({ id: world.id('infliximab'), type: 'DRUG' });
    expect(byDescription.data?.searchEntities.every((hit) => hit.type === 'DRUG')).toBe(true);
    expect(byDescription.data?.searchEntities.filter((hit) => hit.id.startsWith(world.kg.prefix))).toEqual([{ id: world.id('infliximab'), type: 'DRUG' }]);

    const byLayer = await world.kg.query(`query($text: String!) { searchEntities(text: $text, layer: PERCEPTION, first: 5) { id } }`, { text: world.kg.tag });
    expect(byLayer.data?.searchEntities).toHaveLength(2);
    expect(new Set((byLayer.data?.searchEntities as { id: string }[]).map((hit) => hit.id))).toEqual(new Set([world.id('pain'), world.id('nod2')]));
  });

  it('escapes Lucene syntax and refuses blank search text', async () => {
    const odd = await world.kg.query(`query($text: String!) { searchEntities(text: $text) { id } }`, { text: `(calprotectin ${world.kg.tag}:` });
    expect(odd.data).toEqual({ searchEntities: expect.arrayContaining([{ id: world.id('calprotectin') }]) });
    const blank = await world.kg.query(`{ searchEntities(text: "   ") { id } }`);
    expect(blank.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('counts entities per layer, matching the graph', async () => {
    const { records } = await world.kg.driver.executeQuery('MATCH (e:MedicalEntity) RETURN e.layer AS layer, count(*) AS n');
    const counts = new Map(records.map((record) => [record.get('layer') as string, record.get('n') as number]));
    const result = await world.kg.query(`{ layerStats { layer entities } }`);
    expect(result).toEqual({
      data: { layerStats: ['PERCEPTION', 'SEMANTIC', 'REASONING', 'APPLICATION'].map((layer) => ({ layer, entities: counts.get(layer) ?? 0 })) },
    });
  });

  it('reads a patient with diagnoses, medications and allergies in the legacy shape', async () => {
    const result = await world.kg.query(
      `query($id: ID!) { patient(id: $id) { id diagnoses { id condition icd10Code diagnosedDate status } medications { id name dosage frequency status } allergies { id substance reaction severity } } }`,
      { id: world.id('patient-1') },
    );
    expect(result).toEqual({
      data: {
        patient: {
          id: world.id('patient-1'),
          diagnoses: [{ id: world.id('dx-1'), condition: 'Crohn disease', icd10Code: 'K50.90', diagnosedDate: '2023-04-02', status: 'active' }],
          medications: [{ id: world.id('med-1'), name: 'Infliximab', dosage: '5 mg/kg', frequency: 'every 8 weeks', status: 'active' }],
          allergies: [{ id: world.id('allergy-1'), substance: 'Penicillin', reaction: 'Hives', severity: 'moderate' }],
        },
      },
    });
  });

  it('exposes none of the operations @neo4j/graphql would generate', async () => {
    const result = await world.kg.query<{ __schema: { queryType: { fields: { name: string }[] }; mutationType: { fields: { name: string }[] } } }>(
      `{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`,
    );
    expect(result.data?.__schema.queryType.fields.map((field) => field.name).sort()).toEqual(
      ['_entities', '_service', 'layerStats', 'medicalEntity', 'patient', 'patients', 'searchEntities'],
    );
    expect(result.data?.__schema.mutationType.fields.map((field) => field.name).sort()).toEqual([
      'demoteEntity', 'promoteEligibleEntities', 'promoteEntity', 'relateEntities', 'upsertMedicalEntity',
    ]);
  });
});

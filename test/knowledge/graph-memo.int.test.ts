import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { createNeo4jDriver } from '../../subgraphs/knowledge/store/driver.js';
import { observeStatements } from './support/counting-driver.js';
import { removeTestData, startKnowledgeFixture } from './support/knowledge-fixture.js';
import { createSmallGraph } from './support/small-graph.js';

type Fixture = Awaited<ReturnType<typeof startKnowledgeFixture>>;
let replicaA: Fixture;
let replicaB: Fixture;
let observed: ReturnType<typeof observeStatements>;
let closeObserved: () => Promise<void>;
let id: (name: string) => string;

const entityWithRelations = `query($r: [_Any!]!) { _entities(representations: $r) { ... on MedicalEntity { id name confidence relations(types: ["TREATS"]) { confidence target { name } } } } }`;
const patientRecords = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { id allergies { substance } } } }`;

async function readInfliximab(replica: Fixture) {
  const result = await replica.query<{ _entities: { name: string; confidence: number; relations: { confidence: number; target: { name: string } }[] }[] }>(entityWithRelations, {
    r: [{ __typename: 'MedicalEntity', id: id('infliximab') }],
  });
  expect(result.errors).toBeUndefined();
  return result.data?._entities[0];
}

beforeAll(async () => {
  const realDriver = createNeo4jDriver(loadConfig().neo4j);
  observed = observeStatements(realDriver);
  closeObserved = () => realDriver.close();
  // two knowledge processes over the same stores, as two replicas are; A's statements are counted
  replicaA = await startKnowledgeFixture({ driver: observed.driver });
  replicaB = await startKnowledgeFixture();
  ({ id } = await createSmallGraph(replicaA.driver, replicaA.prefix));
});

afterAll(async () => {
  await removeTestData(replicaA.driver, replicaA.prefix);
  await replicaA.stop();
  await replicaB.stop();
  await closeObserved();
});

describe('remembered knowledge-graph reads', () => {
  it('reads an entity and its relations from Neo4j once, and from memory at the next request', async () => {
    observed.statements.length = 0;
    const first = await readInfliximab(replicaA);
    expect(observed.statements).toHaveLength(2);
    observed.statements.length = 0;
    expect(await readInfliximab(replicaA)).toEqual(first);
    expect(observed.statements).toHaveLength(0);
    expect(first?.relations.map((relation) => relation.target.name)).toEqual([`Crohn disease ${replicaA.prefix}`]);
  });

  it('answers a change written through another replica at the next read', async () => {
    await readInfliximab(replicaA);
    const renamed = await replicaB.query(
      'mutation($input: MedicalEntityInput!) { upsertMedicalEntity(input: $input) { id name } }',
      { input: { id: id('infliximab'), name: 'Infliximab (renamed)', type: 'DRUG', confidence: 0.9 } },
    );
    expect(renamed.errors).toBeUndefined();
    observed.statements.length = 0;
    const after = await readInfliximab(replicaA);
    expect(after?.name).toBe('Infliximab (renamed)');
    expect(after?.confidence).toBe(0.9);
    expect(observed.statements.length).toBeGreaterThan(0);
  });

  it('answers a change another process wrote straight to Neo4j (through an announcing driver) at the next read', async () => {
    await readInfliximab(replicaA);
    await replicaB.driver.executeQuery('MATCH (:MedicalEntity {id: $from})-[r:TREATS]->(:MedicalEntity {id: $to}) SET r.confidence = 0.42', { from: id('infliximab'), to: id('crohns') });
    expect((await readInfliximab(replicaA))?.relations[0]?.confidence).toBe(0.42);
  });

  it('remembers an unknown id as absent until the entity is written', async () => {
    const unknown = { __typename: 'MedicalEntity', id: id('later') };
    const read = async () => (await replicaA.query<{ _entities: ({ name: string } | null)[] }>('query($r: [_Any!]!) { _entities(representations: $r) { ... on MedicalEntity { name } } }', { r: [unknown] })).data?._entities[0];
    expect(await read()).toBeNull();
    observed.statements.length = 0;
    expect(await read()).toBeNull();
    expect(observed.statements).toHaveLength(0);
    await replicaB.query('mutation($input: MedicalEntityInput!) { upsertMedicalEntity(input: $input) { id } }', { input: { id: id('later'), name: 'Later entity', type: 'SYMPTOM', confidence: 0.3 } });
    expect(await read()).toEqual({ name: 'Later entity' });
  });

  it("reads a patient's records from Neo4j at every request: they are never remembered", async () => {
    const read = () => replicaA.query(patientRecords, { r: [{ __typename: 'Patient', id: id('patient-1') }] }, { role: 'clinician' });
    await read();
    observed.statements.length = 0;
    const again = await read();
    expect(again.data).toEqual({ _entities: [{ id: id('patient-1'), allergies: [{ substance: 'Penicillin' }] }] });
    expect(observed.statements).toHaveLength(1);
  });
});

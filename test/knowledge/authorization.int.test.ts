import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTestData, startKnowledgeFixture } from './support/knowledge-fixture.js';
import { createSmallGraph } from './support/small-graph.js';

type Fixture = Awaited<ReturnType<typeof startKnowledgeFixture>>;
let kg: Fixture;
let id: (name: string) => string;

beforeAll(async () => {
  kg = await startKnowledgeFixture();
  ({ id } = await createSmallGraph(kg.driver, kg.prefix));
});

afterAll(async () => {
  await removeTestData(kg.driver, kg.prefix);
  await kg.stop();
});

const patientQuery = 'query($id: ID!) { patient(id: $id) { id diagnoses { id } } }';
const entitiesQuery = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { id diagnoses { id } } } }';

describe('knowledge authorization', () => {
  it('answers UNAUTHENTICATED without a token, but still serves _service for composition', async () => {
    const data = await kg.query(`query($id: ID!) { medicalEntity(id: $id) { id } }`, { id: id('crohns') }, null);
    expect(data.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(data.data).toEqual({ medicalEntity: null });
    const service = await kg.query<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, null);
    expect(service.data?._service.sdl).toContain('type MedicalEntity');
  });

  it('lets every authenticated role read knowledge entities', async () => {
    for (const role of ['patient', 'clinician', 'analyst', 'service', 'admin'] as const) {
      const result = await kg.query(`query($id: ID!) { medicalEntity(id: $id) { id } }`, { id: id('crohns') }, { role, patientId: role === 'patient' ? id('patient-1') : undefined });
      expect(result).toEqual({ data: { medicalEntity: { id: id('crohns') } } });
    }
  });

  it('lets a patient read its own record only', async () => {
    const self = { role: 'patient' as const, patientId: id('patient-1') };
    expect(await kg.query(patientQuery, { id: id('patient-1') }, self)).toEqual({ data: { patient: { id: id('patient-1'), diagnoses: [{ id: id('dx-1') }] } } });
    expect(await kg.query(patientQuery, { id: id('patient-2') }, self)).toEqual({ data: { patient: null } });
    const listed = await kg.query('{ patients(first: 500) { id } }', {}, self);
    expect(listed).toEqual({ data: { patients: [{ id: id('patient-1') }] } });
    const references = await kg.query(entitiesQuery, { r: [{ __typename: 'Patient', id: id('patient-1') }, { __typename: 'Patient', id: id('patient-2') }] }, self);
    expect(references).toEqual({ data: { _entities: [{ id: id('patient-1'), diagnoses: [{ id: id('dx-1') }] }, null] } });
  });

  it('shows clinicians and services every patient, analysts none', async () => {
    for (const role of ['clinician', 'service', 'admin'] as const) {
      expect(await kg.query(patientQuery, { id: id('patient-2') }, { role })).toEqual({ data: { patient: { id: id('patient-2'), diagnoses: [] } } });
    }
    expect(await kg.query(patientQuery, { id: id('patient-1') }, { role: 'analyst' })).toEqual({ data: { patient: null } });
    const references = await kg.query(entitiesQuery, { r: [{ __typename: 'Patient', id: id('patient-1') }] }, { role: 'analyst' });
    expect(references).toEqual({ data: { _entities: [null] } });
  });

  it('lets only clinicians and admins move an entity between layers', async () => {
    for (const role of ['analyst', 'service'] as const) {
      const denied = await kg.query('mutation($id: ID!) { promoteEntity(id: $id, reason: "try") { id } }', { id: id('pain') }, { role });
      expect(denied.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    const patient = await kg.query('mutation($id: ID!) { demoteEntity(id: $id, reason: "try") { id } }', { id: id('crohns') }, { role: 'patient', patientId: id('patient-1') });
    expect(patient.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const { records } = await kg.driver.executeQuery('MATCH (e:MedicalEntity) WHERE e.id IN $ids RETURN e.layer AS layer ORDER BY e.id', { ids: [id('crohns'), id('pain')] });
    expect(records.map((record) => record.get('layer'))).toEqual(['SEMANTIC', 'PERCEPTION']);
  });
});

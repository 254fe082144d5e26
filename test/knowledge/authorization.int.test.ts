import { describe, expect, it } from 'vitest';
import { useSmallGraph } from './support/knowledge-fixture.js';

const world = useSmallGraph();

const patientQuery = 'query($id: ID!) { patient(id: $id) { id diagnoses { id } } }';
const entitiesQuery = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { id diagnoses { id } } } }';

describe('knowledge authorization', () => {
  it('answers UNAUTHENTICATED without a token, _service included; any role may compose', async () => {
    const data = await world.kg.query(`query($id: ID!) { medicalEntity(id: $id) { id } }`, { id: world.id('crohns') }, null);
    expect(data.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(data.data).toBeUndefined();
    const anonymous = await world.kg.query<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, null);
    expect(anonymous.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const service = await world.kg.query<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, { role: 'analyst' });
    expect(service.data?._service.sdl).toContain('type MedicalEntity');
  });

  it('lets every authenticated role read knowledge entities', async () => {
    for (const role of ['patient', 'clinician', 'analyst', 'service', 'admin'] as const) {
      const result = await world.kg.query(`query($id: ID!) { medicalEntity(id: $id) { id } }`, { id: world.id('crohns') }, { role, patientId: role === 'patient' ? world.id('patient-1') : undefined });
      expect(result).toEqual({ data: { medicalEntity: { id: world.id('crohns') } } });
    }
  });

  it('lets a patient read its own record only', async () => {
    const self = { role: 'patient' as const, patientId: world.id('patient-1') };
    expect(await world.kg.query(patientQuery, { id: world.id('patient-1') }, self)).toEqual({ data: { patient: { id: world.id('patient-1'), diagnoses: [{ id: world.id('dx-1') }] } } });
    expect(await world.kg.query(patientQuery, { id: world.id('patient-2') }, self)).toEqual({ data: { patient: null } });
    const listed = await world.kg.query('{ patients(first: 500) { id } }', {}, self);
    expect(listed).toEqual({ data: { patients: [{ id: world.id('patient-1') }] } });
    const references = await world.kg.query(entitiesQuery, { r: [{ __typename: 'Patient', id: world.id('patient-1') }, { __typename: 'Patient', id: world.id('patient-2') }] }, self);
    expect(references).toEqual({ data: { _entities: [{ id: world.id('patient-1'), diagnoses: [{ id: world.id('dx-1') }] }, null] } });
  });

  it('shows clinicians and services every patient, analysts none', async () => {
    for (const role of ['clinician', 'service', 'admin'] as const) {
      expect(await world.kg.query(patientQuery, { id: world.id('patient-2') }, { role })).toEqual({ data: { patient: { id: world.id('patient-2'), diagnoses: [] } } });
    }
    // analysts may see no patient at all (lib/policy): FORBIDDEN, on every path to one
    const direct = await world.kg.query(patientQuery, { id: world.id('patient-1') }, { role: 'analyst' });
    expect([direct.data, direct.errors?.map((error) => error.extensions?.code)]).toEqual([{ patient: null }, ['FORBIDDEN']]);
    const listed = await world.kg.query('{ patients { id } }', {}, { role: 'analyst' });
    expect(listed.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const references = await world.kg.query(entitiesQuery, { r: [{ __typename: 'Patient', id: world.id('patient-1') }] }, { role: 'analyst' });
    expect([references.data, references.errors?.map((error) => error.extensions?.code)]).toEqual([null, ['FORBIDDEN']]);
  });

  it('lets only clinicians and admins move an entity between layers', async () => {
    for (const role of ['analyst', 'service'] as const) {
      const denied = await world.kg.query('mutation($id: ID!) { promoteEntity(id: $id, reason: "try") { id } }', { id: world.id('pain') }, { role });
      expect(denied.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    const patient = await world.kg.query('mutation($id: ID!) { demoteEntity(id: $id, reason: "try") { id } }', { id: world.id('crohns') }, { role: 'patient', patientId: world.id('patient-1') });
    expect(patient.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const { records } = await world.kg.driver.executeQuery('MATCH (e:MedicalEntity) WHERE e.id IN $ids RETURN e.layer AS layer ORDER BY e.id', { ids: [world.id('crohns'), world.id('pain')] });
    expect(records.map((record) => record.get('layer'))).toEqual(['SEMANTIC', 'PERCEPTION']);
  });
});

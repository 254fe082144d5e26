import neo4j, { type Driver } from 'neo4j-driver';
import { readRecords } from './driver.js';
import { patientProjection, type PatientRecord } from './records.js';

/** The records of many patients in one statement, each list ordered by record id; ids with no node are absent. */
export async function readPatients(driver: Driver, ids: readonly string[]): Promise<Map<string, PatientRecord>> {
  const records = await readRecords(
    driver,
    `MATCH (p:Patient) WHERE p.id IN $ids
     RETURN ${patientProjection} AS patient`,
    { ids },
  );
  return new Map(records.map((record) => {
    const patient = record.get('patient') as PatientRecord;
    return [patient.id, patient];
  }));
}


/** Up to `first` patients in id order, with their records; only `onlyId` when given (a patient sees itself). */
export async function listPatients(driver: Driver, first: number, onlyId?: string): Promise<PatientRecord[]> {
  const records = await readRecords(
    driver,
    `MATCH (p:Patient) WHERE $onlyId IS NULL OR p.id = $onlyId
     WITH p ORDER BY p.id LIMIT $first
     RETURN ${patientProjection} AS patient`,
    { onlyId: onlyId ?? null, first: neo4j.int(first) },
  );
  return records.map((record) => record.get('patient') as PatientRecord);
}

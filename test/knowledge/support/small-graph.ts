import type { Driver } from 'neo4j-driver';
import { upsertEntities, upsertPatients, upsertRelations, type EntityInput } from '../../../subgraphs/knowledge/store/seed-writes.js';

/**
 * A small graph under `prefix`. No entity meets a promotion rule, so a promotion scan running
 * in a parallel test file leaves it alone.
 */
export async function createSmallGraph(driver: Driver, prefix: string) {
  const id = (name: string) => `${prefix}${name}`;
  const entities: EntityInput[] = [
    { id: id('crohns'), name: `Crohn disease ${prefix}`, type: 'DISEASE', description: 'Chronic transmural inflammation of the gastrointestinal tract', layer: 'SEMANTIC', confidence: 0.8 },
    { id: id('infliximab'), name: `Infliximab ${prefix}`, type: 'DRUG', description: 'Chimeric anti-TNF monoclonal antibody', layer: 'REASONING', confidence: 0.82 },
    { id: id('pain'), name: `Abdominal pain ${prefix}`, type: 'SYMPTOM', description: 'Cramping pain, often in the lower right abdomen', layer: 'PERCEPTION', confidence: 0.6 },
    { id: id('calprotectin'), name: `Fecal calprotectin ${prefix}`, type: 'TEST', description: 'Stool marker of intestinal inflammation', layer: 'APPLICATION', confidence: 0.7 },
    { id: id('nod2'), name: `NOD2 ${prefix}`, type: 'GENE', description: 'Susceptibility gene for Crohn disease', layer: 'PERCEPTION', confidence: 0.5 },
  ];
  await upsertEntities(driver, entities);
  await upsertRelations(driver, [
    { from: id('infliximab'), to: id('crohns'), type: 'TREATS', layer: 'SEMANTIC', confidence: 0.8 },
    { from: id('crohns'), to: id('pain'), type: 'CAUSES', layer: 'PERCEPTION', confidence: 0.7 },
    { from: id('calprotectin'), to: id('crohns'), type: 'INDICATES', layer: 'APPLICATION', confidence: 0.6 },
    { from: id('nod2'), to: id('crohns'), type: 'ASSOCIATED_WITH', layer: 'PERCEPTION', confidence: 0.5 },
  ]);
  await upsertPatients(driver, [
    {
      id: id('patient-1'),
      diagnoses: [{ id: id('dx-1'), condition: 'Crohn disease', icd10Code: 'K50.90', diagnosedDate: '2023-04-02', status: 'active' }],
      medications: [{ id: id('med-1'), name: 'Infliximab', dosage: '5 mg/kg', frequency: 'every 8 weeks', startedDate: '2023-05-01', status: 'active' }],
      allergies: [{ id: id('allergy-1'), substance: 'Penicillin', reaction: 'Hives', severity: 'moderate' }],
    },
    { id: id('patient-2'), diagnoses: [], medications: [], allergies: [] },
  ]);
  return { id, entities };
}

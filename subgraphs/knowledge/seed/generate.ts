import { createHash } from 'node:crypto';
import type { EntityType, Layer, RelationType } from '../rules.js';
import type { EntityInput, PatientInput, RelationInput } from '../store/seed-writes.js';
import { catalog } from './catalog.js';
import { createRandom } from '../../../lib/seeded-random.js';

const { allergens, contraindications, diseases, drugs, extraSymptoms, genes, organizations, pathways, synonyms, tests, treatments } = catalog;

export interface SeedGraph {
  entities: EntityInput[];
  relations: RelationInput[];
  patients: PatientInput[];
}

const layerWeights: readonly [Layer, number, number, number][] = [
  // layer, share, confidence min, confidence max
  ['PERCEPTION', 0.3, 0.45, 0.84],
  ['SEMANTIC', 0.35, 0.6, 0.89],
  ['REASONING', 0.22, 0.75, 0.95],
  ['APPLICATION', 0.13, 0.85, 0.99],
];

const slug = (name: string) => name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const hex = (text: string) => createHash('sha1').update(text).digest('hex').slice(0, 12);

/** One copy of the demo graph; copy k > 0 gets id suffix `~k+1` so `--scale N` stacks N disjoint copies. */
function generateCopy(copy: number): SeedGraph {
  const random = createRandom(20260114 + copy);
  const suffix = copy === 0 ? '' : `~${copy + 1}`;
  const nameSuffix = copy === 0 ? '' : ` [set ${copy + 1}]`;
  const entities = new Map<string, EntityInput>();
  const relations: RelationInput[] = [];

  function entity(type: EntityType, name: string, description: string, category: string): string {
    const baseId = `${type.toLowerCase()}:${slug(name)}`;
    const id = `${baseId}${suffix}`;
    if (entities.has(id)) return id;
    const roll = random.next();
    let cumulative = 0;
    const [layer, , low, high] = layerWeights.find(([, share]) => (cumulative += share) >= roll) ?? layerWeights[0]!;
    const confidence = Math.round((low + random.next() * (high - low)) * 100) / 100;
    entities.set(id, {
      id, name: `${name}${nameSuffix}`, type, description, layer, confidence, category,
      sourceDocument: `${category.replace(/ /g, '_')}_dda.md`, validationCount: random.int(0, 4),
      synonyms: synonyms[baseId] ?? [],
      ontologyCodes: type === 'DISEASE' ? [`ICD10:${diseases.find(([disease]) => disease === name)?.[1] ?? ''}`] : [],
    });
    return id;
  }
  function relate(from: string, to: string, type: RelationType): void {
    if (from === to) return;
    const layer = random.pick(layerWeights)[0];
    relations.push({ from, to, type, layer, confidence: Math.round((0.5 + random.next() * 0.49) * 100) / 100 });
  }

  const diseaseIds = new Map(diseases.map(([name, icd]) => [name, entity('DISEASE', name, `Autoimmune or inflammatory disease (ICD-10 ${icd})`, 'autoimmune disease')]));
  const diseaseIdList = [...diseaseIds.values()];
  for (const [name, , symptoms] of diseases) {
    for (const symptom of symptoms) relate(diseaseIds.get(name)!, entity('SYMPTOM', symptom, `${symptom}, a presenting feature of autoimmune disease`, 'symptom'), 'CAUSES');
  }
  for (const symptom of extraSymptoms) {
    const id = entity('SYMPTOM', symptom, `${symptom} reported by patients with chronic inflammatory disease`, 'symptom');
    for (const disease of random.sample(diseaseIdList, 2)) relate(id, disease, 'INDICATES');
  }
  const drugIds = new Map(drugs.map(([name, treats]) => [name, entity('DRUG', name, `${name}, used in ${treats.join(', ')}`, 'drug')]));
  for (const [name, treats] of drugs) for (const disease of treats) relate(drugIds.get(name)!, diseaseIds.get(disease)!, 'TREATS');
  for (const [drug, other] of contraindications) relate(drugIds.get(drug)!, diseaseIds.get(other) ?? drugIds.get(other)!, 'CONTRAINDICATED_WITH');
  for (const [name, description] of tests) {
    const id = entity('TEST', name, description, 'diagnostic test');
    for (const disease of random.sample(diseaseIdList, 2)) relate(id, disease, 'INDICATES');
  }
  for (const [name, description] of treatments) {
    const id = entity('TREATMENT', name, description, 'treatment');
    for (const disease of random.sample(diseaseIdList, random.int(1, 2))) relate(id, disease, 'TREATS');
  }
  const geneIds = new Map(genes.map((name) => [name, entity('GENE', name, `${name}, a susceptibility locus in immune-mediated disease`, 'gene')]));
  for (const id of geneIds.values()) for (const disease of random.sample(diseaseIdList, 2)) relate(id, disease, 'ASSOCIATED_WITH');
  for (const [name, members] of pathways) {
    const id = entity('PATHWAY', name, `${name} in immune regulation`, 'pathway');
    for (const gene of members) relate(geneIds.get(gene)!, id, 'ASSOCIATED_WITH');
  }
  const orgIds = organizations.map((name) => entity('ORGANIZATION', name, `${name}: guidelines, research funding and patient support`, 'organization'));
  for (const org of orgIds) for (const disease of random.sample(diseaseIdList, 2)) relate(org, disease, 'ASSOCIATED_WITH');
  for (const [drug, treats] of drugs) {
    for (const disease of treats) {
      const study = entity('STUDY', `${drug} in ${disease}: randomized controlled trial`, `Phase III efficacy and safety of ${drug} in ${disease}`, 'clinical trial');
      relate(study, drugIds.get(drug)!, 'ASSOCIATED_WITH');
      relate(study, diseaseIds.get(disease)!, 'ASSOCIATED_WITH');
      relate(random.pick(orgIds), study, 'ASSOCIATED_WITH');
    }
  }
  for (const [disease] of diseases) {
    const study = entity('STUDY', `Natural history cohort of ${disease}`, `Longitudinal biobank cohort following ${disease}`, 'cohort study');
    relate(study, diseaseIds.get(disease)!, 'ASSOCIATED_WITH');
  }
  return { entities: [...entities.values()], relations, patients: generatePatients(copy, suffix, random) };
}

/** Diseases some catalogued drug treats: every demo patient has a medication list. */
const treatableDiseases = diseases.filter(([name]) => drugs.some(([, treats]) => treats.includes(name)));

function generatePatients(copy: number, suffix: string, random: ReturnType<typeof createRandom>): PatientInput[] {
  const ids = copy === 0 ? ['patient:demo'] : [];
  for (let index = 1; ids.length < 40; index += 1) ids.push(`pt-${String(index).padStart(5, '0')}${suffix}`);
  return ids.map((id) => {
    const conditions = random.sample(treatableDiseases, random.int(1, 3));
    const medicines = [...new Set(conditions.flatMap(([name]) => random.sample(drugs.filter(([, treats]) => treats.includes(name)), random.int(1, 2)).map(([drug]) => drug)))];
    const date = () => `20${random.int(10, 25)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
    return {
      id,
      diagnoses: conditions.map(([condition, icd10Code]) => ({ id: `dx:${hex(`${id}:${condition}`)}`, condition, icd10Code, diagnosedDate: date(), status: random.pick(['active', 'active', 'in remission', 'resolved']) })),
      medications: medicines.map((name) => ({ id: `med:${hex(`${id}:${name}`)}`, name, dosage: random.pick(['5 mg/kg', '40 mg', '10 mg', '400 mg', '15 mg', '100 mg']), frequency: random.pick(['daily', 'twice daily', 'weekly', 'every 2 weeks', 'every 8 weeks']), startedDate: date(), status: random.pick(['active', 'active', 'paused', 'stopped']) })),
      // The demo patient shows every kind of record, allergies included.
      allergies: random.sample(allergens, random.int(id === 'patient:demo' ? 1 : 0, 2)).map(([substance, reaction]) => ({ id: `allergy:${hex(`${id}:${substance}`)}`, substance, reaction, severity: random.pick(['mild', 'moderate', 'severe']) })),
    };
  });
}

/** The demo knowledge graph, `scale` disjoint copies of it; the same scale always gives the same graph. */
export function generateSeedGraph(scale = 1): SeedGraph {
  const copies = Array.from({ length: scale }, (_, copy) => generateCopy(copy));
  return {
    entities: copies.flatMap((copy) => copy.entities),
    relations: copies.flatMap((copy) => copy.relations),
    patients: copies.flatMap((copy) => copy.patients),
  };
}

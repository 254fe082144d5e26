import { describe, expect, it } from 'vitest';
import { entityTypes, layers } from '../rules.js';
import { generateSeedGraph } from './generate.js';

describe('generateSeedGraph', () => {
  const graph = generateSeedGraph(1);

  it('has at least 600 entities over the nine types and all four layers, and 700 relationships', () => {
    expect(graph.entities.length).toBeGreaterThanOrEqual(600);
    expect(graph.relations.length).toBeGreaterThanOrEqual(700);
    expect(new Set(graph.entities.map((entity) => entity.type))).toEqual(new Set(entityTypes));
    expect(new Set(graph.entities.map((entity) => entity.layer))).toEqual(new Set(layers));
    expect(new Set(graph.entities.map((entity) => entity.id)).size).toBe(graph.entities.length);
  });

  it('is centred on real autoimmune diseases and drugs, with consistent relationships', () => {
    const names = new Set(graph.entities.map((entity) => entity.name));
    for (const name of ["Crohn's disease", 'Ulcerative colitis', 'Systemic lupus erythematosus', 'Rheumatoid arthritis', 'Psoriasis', 'Multiple sclerosis', 'Celiac disease', 'Type 1 diabetes mellitus', 'Infliximab', 'Fecal calprotectin']) {
      expect(names).toContain(name);
    }
    const ids = new Set(graph.entities.map((entity) => entity.id));
    expect(graph.relations.every((relation) => ids.has(relation.from) && ids.has(relation.to))).toBe(true);
    expect(graph.relations).toContainEqual(expect.objectContaining({ from: 'drug:infliximab', to: 'disease:crohn-s-disease', type: 'TREATS' }));
  });

  it('has patients with diagnoses, medications and allergies', () => {
    expect(graph.patients).toHaveLength(40);
    expect(graph.patients[0]?.id).toBe('patient:demo');
    expect(graph.patients.every((patient) => patient.diagnoses.length > 0 && patient.medications.length > 0)).toBe(true);
    expect(graph.patients.some((patient) => patient.allergies.length > 0)).toBe(true);
  });

  it('is deterministic and multiplies with the scale', () => {
    expect(generateSeedGraph(1)).toEqual(graph);
    const tenfold = generateSeedGraph(10);
    expect(tenfold.entities).toHaveLength(graph.entities.length * 10);
    expect(new Set(tenfold.entities.map((entity) => entity.id)).size).toBe(tenfold.entities.length);
    expect(tenfold.entities.slice(0, graph.entities.length)).toEqual(graph.entities);
  });
});

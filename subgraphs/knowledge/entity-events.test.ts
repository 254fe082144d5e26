import { describe, expect, it } from 'vitest';
import { entityVersion } from './entity-events.js';

describe('entityVersion', () => {
  const entity = { id: 'drug:infliximab', name: 'Infliximab', type: 'DRUG', layer: 'SEMANTIC', description: 'Anti-TNF antibody' };

  it('is stable for the same name, type, layer and description', () => {
    expect(entityVersion({ ...entity })).toBe(entityVersion(entity));
    expect(entityVersion(entity)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes when any of them changes', () => {
    const versions = new Set([
      entityVersion(entity),
      entityVersion({ ...entity, name: 'Infliximab-dyyb' }),
      entityVersion({ ...entity, type: 'TREATMENT' }),
      entityVersion({ ...entity, layer: 'REASONING' }),
      entityVersion({ ...entity, description: null }),
      entityVersion({ ...entity, synonyms: ['Remicade'] }),
    ]);
    expect(versions.size).toBe(6);
  });

  it('stays as before synonyms existed for an entity without any', () => {
    expect(entityVersion({ ...entity, synonyms: [] })).toBe(entityVersion(entity));
  });
});

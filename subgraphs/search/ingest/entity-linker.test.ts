import { describe, expect, it } from 'vitest';
import { createEntityLinker } from './entity-linker.js';

const entities = [
  { id: 'e-ra', name: 'Rheumatoid Arthritis', type: 'DISEASE', layer: 'SEMANTIC' },
  { id: 'e-arthritis', name: 'arthritis', type: 'DISEASE', layer: 'PERCEPTION' },
  { id: 'e-mtx', name: 'Methotrexate', type: 'DRUG', layer: 'SEMANTIC' },
  { id: 'e-crp', name: 'C-reactive protein', type: 'TEST', layer: 'SEMANTIC' },
];

describe('createEntityLinker', () => {
  const linker = createEntityLinker(entities);

  it('links whole names case-insensitively, longest first, each once in mention order', () => {
    const linked = linker.link('METHOTREXATE for rheumatoid arthritis; check C reactive protein. Methotrexate again.');
    expect(linked.map((entity) => entity.id)).toEqual(['e-mtx', 'e-ra', 'e-crp']);
  });

  it('links the shorter name where it stands alone', () => {
    expect(linker.link('Psoriatic arthritis and rheumatoid arthritis').map((entity) => entity.id)).toEqual(['e-arthritis', 'e-ra']);
  });

  it('does not match inside other words', () => {
    expect(linker.link('osteoarthritisX and methotrexates')).toEqual([]);
  });
});

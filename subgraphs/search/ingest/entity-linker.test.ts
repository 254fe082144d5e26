import { describe, expect, it } from 'vitest';
import { createEntityLinker, dictionaryOf } from './entity-linker.js';

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

describe('dictionaryOf', () => {
  it('looks for synonyms too, but not abbreviations or short ones that are ordinary words', () => {
    const dictionary = dictionaryOf([{ entity_id: 'e-sle', name: 'Systemic lupus erythematosus', type: 'DISEASE', layer: 'SEMANTIC', synonyms: ['SLE', 'lupus', 'as', 'Lupus erythematosus disseminatus'] }]);
    expect(dictionary.map((entry) => entry.name)).toEqual(['Systemic lupus erythematosus', 'lupus', 'Lupus erythematosus disseminatus']);
    const linked = createEntityLinker(dictionary).link('Lupus Management, as agreed with SLE clinics');
    expect(linked).toEqual([{ id: 'e-sle', name: 'lupus', type: 'DISEASE', layer: 'SEMANTIC' }]);
  });

  it('links abbreviations only when asked, and only as written', () => {
    const linker = createEntityLinker(dictionaryOf([{ entity_id: 'e-as', name: 'Ankylosing spondylitis', type: 'DISEASE', layer: 'SEMANTIC', synonyms: ['AS', 'T1D'] }], { abbreviations: true }));
    expect(linker.link('as agreed, AS clinics').map((entity) => entity.id)).toEqual(['e-as']);
    expect(linker.link('as agreed, as usual')).toEqual([]);
  });
});

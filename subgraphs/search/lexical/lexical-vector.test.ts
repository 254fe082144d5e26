import { describe, expect, it } from 'vitest';
import { lexicalTerms, passageVector, queryVector, termIndex } from './lexical-vector.js';

describe('lexical vectors', () => {
  it('folds, drops stopwords and lone characters, and stems plurals', () => {
    expect(lexicalTerms("Are the Rheumatologists stakeholders in Sjögren's therapies? (K50.90)")).toEqual(['rheumatologist', 'stakeholder', 'sjogren', 'therapy', 'k50', '90']);
    expect(lexicalTerms('psoriasis arthritis diabetes status class')).toEqual(['psoriasis', 'arthritis', 'diabete', 'status', 'class']);
  });

  it('gives a query term weight 1 once, and indexes sorted and unique', () => {
    const vector = queryVector('lupus lupus nephritis');
    expect(vector.values).toEqual([1, 1]);
    expect(vector.indices).toEqual([termIndex('lupus'), termIndex('nephritis')].sort((a, b) => a - b));
  });

  it('weighs a repeated term more, with saturation, and the same term less in a longer passage', () => {
    const once = passageVector('lupus clinic');
    const twice = passageVector('lupus lupus clinic');
    const weight = (vector: ReturnType<typeof passageVector>, term: string) => vector.values[vector.indices.indexOf(termIndex(term))] as number;
    expect(weight(twice, 'lupus')).toBeGreaterThan(weight(once, 'lupus'));
    expect(weight(twice, 'lupus')).toBeLessThan(2 * weight(once, 'lupus'));
    const long = passageVector(`lupus ${'renal biopsy protocol '.repeat(40)}`);
    expect(weight(long, 'lupus')).toBeLessThan(weight(once, 'lupus'));
  });

  it('maps terms to unsigned 32-bit indexes, the same every time', () => {
    expect(termIndex('lupus')).toBe(termIndex('lupus'));
    expect(termIndex('lupus')).toBeGreaterThanOrEqual(0);
    expect(termIndex('lupus')).toBeLessThan(2 ** 32);
    expect(termIndex('lupus')).not.toBe(termIndex('lupu'));
  });
});

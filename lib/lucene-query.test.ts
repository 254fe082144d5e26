import { describe, expect, it } from 'vitest';
import { toLuceneQuery } from './lucene-query.js';

describe('toLuceneQuery', () => {
  it('escapes syntax and lower-cases operator words', () => {
    expect(toLuceneQuery('(calprotectin tag:')).toBe('\\(calprotectin tag\\:');
    expect(toLuceneQuery('crohn AND NOT colitis')).toBe('crohn and not colitis');
    expect(toLuceneQuery('a && b || c/d')).toBe('a b c\\/d');
  });

  it('refuses text with nothing to search for', () => {
    expect(() => toLuceneQuery(' && !! ')).toThrow(/must contain a letter or a digit/);
  });
});

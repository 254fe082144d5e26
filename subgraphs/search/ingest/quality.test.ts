import { describe, expect, it } from 'vitest';
import { computeQuality, qualityWeights, rateQuality } from './quality.js';

const thirtyWords = Array.from({ length: 30 }, (_, n) => `term${n}`).join(' ');

describe('computeQuality', () => {
  it('scores a known document exactly', () => {
    const content = '# Title\n## Part\nthe cat and the dog';
    const chunks = [
      { text: 'x'.repeat(100), entityIds: ['a', 'b'], vector: [1, 0] },
      { text: thirtyWords, entityIds: ['a'], vector: [0, 1] },
      { text: 'y'.repeat(10), entityIds: [], vector: [1, 0] },
      { text: 'z'.repeat(100), entityIds: ['c'], vector: [1, 0] },
    ];
    const quality = computeQuality(content, chunks, 200);
    // words: title part the cat and the dog -> 7, content: title part cat dog (4 distinct of 4)
    expect(quality.informationDensity).toBe(Math.round((0.5 * (4 / 7) + 0.5) * 10_000) / 10_000);
    // 2 headings / 4 chunks -> 0.5; sized 40..240 chars: 100, 209, 100 -> 3 of 4
    expect(quality.structuralClarity).toBe(0.625);
    // core entity 'a' (2 chunks) named in 2 of 4 chunks
    expect(quality.entityCoherence).toBe(0.5);
    expect(quality.contextSufficiency).toBe(0.25);
    // mean direction (3,1)/sqrt(10): cosines 3/sqrt(10) x3 and 1/sqrt(10)
    expect(quality.contextualRelevancy).toBe(Math.round(((10 / Math.sqrt(10)) / 4) * 10_000) / 10_000);
    const expected =
      qualityWeights.informationDensity * (0.5 * (4 / 7) + 0.5) +
      qualityWeights.structuralClarity * 0.625 +
      qualityWeights.entityCoherence * 0.5 +
      qualityWeights.contextSufficiency * 0.25 +
      qualityWeights.contextualRelevancy * (10 / Math.sqrt(10) / 4);
    expect(quality.compositeScore).toBe(Math.round(expected * 10_000) / 10_000);
  });

  it('gives zeros for a document without words, entities or vectors', () => {
    expect(computeQuality('', [], 900)).toEqual({
      informationDensity: 0,
      structuralClarity: 0,
      entityCoherence: 0,
      contextSufficiency: 0,
      contextualRelevancy: 0,
      compositeScore: 0,
    });
  });

  it('treats any entity of a single-chunk document as core', () => {
    expect(computeQuality('text', [{ text: 'text', entityIds: ['a'], vector: [1] }], 900).entityCoherence).toBe(1);
  });

  it('rates composites by the documented levels', () => {
    expect([0.95, 0.8, 0.79, 0.6, 0.5, 0.4, 0.1].map(rateQuality)).toEqual(['EXCELLENT', 'EXCELLENT', 'GOOD', 'GOOD', 'FAIR', 'FAIR', 'POOR']);
  });
});

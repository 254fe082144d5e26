import { describe, expect, it } from 'vitest';
import { candidatePoolSize, rankPassages } from './rank-passages.js';
import type { ScoredChunk } from './store/chunk-store.js';

const hit = (id: string, score: number, repeats?: number): ScoredChunk =>
  ({ score, point: { id, payload: { template_repeats: repeats } } }) as unknown as ScoredChunk;

describe('rankPassages', () => {
  it('scores repeated template passages down by the log of their repeats and keeps the best k', () => {
    const ranked = rankPassages([hit('template', 0.6, 15), hit('own', 0.4), hit('pair', 0.45, 2), hit('old point', 0.3)], 3);
    expect(ranked.map((passage) => passage.point.id)).toEqual(['own', 'old point', 'pair']);
    expect(ranked[0]?.score).toBe(0.4);
    expect(ranked[2]?.score).toBeCloseTo(0.45 / (1 + Math.log(2)));
  });

  it('asks Qdrant for a pool larger than k, within bounds', () => {
    expect(candidatePoolSize(1)).toBe(30);
    expect(candidatePoolSize(20)).toBe(60);
    expect(candidatePoolSize(50)).toBe(150);
  });
});

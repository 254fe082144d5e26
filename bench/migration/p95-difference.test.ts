import { describe, expect, it } from 'vitest';
import { p95Difference } from './p95-difference.js';

const spread = (base: number, count: number) => Array.from({ length: count }, (_, index) => base + (index % 20));

describe('p95Difference', () => {
  it('finds no difference between two copies of one sample, with an interval around zero', () => {
    const samples = spread(10, 300);
    const result = p95Difference(samples, samples);
    expect(result.measured).toBe(0);
    expect(result.low).toBeLessThanOrEqual(0);
    expect(result.high).toBeGreaterThanOrEqual(0);
  });

  it('measures a shift of every sample, and its interval excludes zero', () => {
    const result = p95Difference(spread(20, 300), spread(10, 300));
    expect(result.measured).toBe(10);
    expect(result.low).toBeGreaterThan(5);
    expect(result.high).toBeLessThan(15);
  });

  it('gives the same interval for the same samples (seeded)', () => {
    const noisy = Array.from({ length: 200 }, (_, index) => (index * 7919) % 97);
    expect(p95Difference(noisy, spread(0, 200))).toEqual(p95Difference(noisy, spread(0, 200)));
  });
});

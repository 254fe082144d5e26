import { describe, expect, it } from 'vitest';
import { summarize } from './realistic-load.js';

describe("a gateway's windows summarized", () => {
  it('takes percentiles over every window together and the rate over their summed time', () => {
    const early = { latencies: [10, 20, 30, 40], readLatencies: [10, 30, 40], writes: 1, errors: 0, durationMs: 2000 };
    const late = { latencies: Array.from({ length: 16 }, (_, index) => 100 + index), readLatencies: [100], writes: 15, errors: 2, durationMs: 2000 };
    const result = summarize([early, late]);
    expect(result).toMatchObject({ requests: 20, reads: 4, writes: 16, errors: 2, rps: 5 });
    expect(result.p50).toBe(105);
    expect(result.p95).toBe(114);
    expect(result.readP95).toBe(100);
  });

  it('gives the one window of a single round as it was measured', () => {
    const result = summarize([{ latencies: [5, 3, 9], readLatencies: [3, 9], writes: 1, errors: 0, durationMs: 1500 }]);
    expect(result).toMatchObject({ requests: 3, rps: 2, p50: 5, p99: 9, readP95: 9 });
  });
});

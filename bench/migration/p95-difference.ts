import { percentile } from '../../lib/percentile.js';
import { createRandom } from '../../lib/seeded-random.js';

/**
 * How much larger the p95 of `treated` is than the p95 of `baseline`, with a 90 % bootstrap
 * interval: both sample sets resampled with replacement `resamples` times (a fixed seed, so a
 * run's figures can be reproduced from its samples). An interval whose upper end is under a goal
 * shows the goal met; one that straddles it shows nothing either way.
 */
export function p95Difference(treated: readonly number[], baseline: readonly number[], resamples = 2000): { measured: number; low: number; high: number } {
  const p95 = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 95);
  const random = createRandom(95);
  const resample = (values: readonly number[]) => Array.from(values, () => random.pick(values));
  const differences = Array.from({ length: resamples }, () => p95(resample(treated)) - p95(resample(baseline))).sort((a, b) => a - b);
  return { measured: p95(treated) - p95(baseline), low: percentile(differences, 5), high: percentile(differences, 95) };
}

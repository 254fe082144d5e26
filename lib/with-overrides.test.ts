import { describe, expect, it } from 'vitest';
import { withOverrides } from './with-overrides.js';

class Counter {
  count = 0;
  add(n: number): number {
    this.count += n;
    return this.count;
  }
  double(): number {
    return this.add(this.count);
  }
}

describe('withOverrides', () => {
  it('answers the overridden members, and keeps every other method bound to the target', () => {
    const counter = new Counter();
    const calls: number[] = [];
    const observed = withOverrides(counter, { add: (n: number) => (calls.push(n), counter.add(n)) });
    expect(observed.add(2)).toBe(2);
    const { double } = observed;
    expect(double()).toBe(4);
    expect([observed.count, calls]).toEqual([4, [2]]);
  });
});

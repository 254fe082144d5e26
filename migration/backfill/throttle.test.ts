import { describe, expect, it } from 'vitest';
import { LatencyThrottle } from './throttle.js';

describe('LatencyThrottle', () => {
  it('pauses by how much slower than usual the slowest store was, bounded', () => {
    const throttle = new LatencyThrottle({ tolerance: 2, maxPauseMs: 500, window: 5 });
    expect(throttle.pauseAfter({ legacy: 40, postgres: 20 })).toBe(0);
    expect(throttle.pauseAfter({ legacy: 70, postgres: 30 })).toBe(0);
    expect(throttle.pauseAfter({ legacy: 50, postgres: 100 })).toBe(70);
    expect(throttle.pauseAfter({ legacy: 2000, postgres: 20 })).toBe(500);
    expect(throttle.pausedMs).toBe(570);
  });

  it('follows what is usual now: a lasting change of pace stops pausing once it is the norm', () => {
    const throttle = new LatencyThrottle({ tolerance: 2, maxPauseMs: 5000, window: 3 });
    for (const ms of [10, 10, 10]) throttle.pauseAfter({ postgres: ms });
    expect(throttle.pauseAfter({ postgres: 50 })).toBe(40);
    throttle.pauseAfter({ postgres: 50 });
    expect(throttle.pauseAfter({ postgres: 50 })).toBe(0);
  });
});

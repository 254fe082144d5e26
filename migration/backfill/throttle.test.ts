import { describe, expect, it } from 'vitest';
import { LatencyThrottle } from './throttle.js';

describe('LatencyThrottle', () => {
  it('pauses by the slowdown of the slowest store beyond its best time, bounded', () => {
    const throttle = new LatencyThrottle({ tolerance: 2, maxPauseMs: 500 });
    expect(throttle.pauseAfter({ legacy: 40, postgres: 20 })).toBe(0);
    expect(throttle.pauseAfter({ legacy: 70, postgres: 30 })).toBe(0);
    expect(throttle.pauseAfter({ legacy: 50, postgres: 100 })).toBe(80);
    expect(throttle.pauseAfter({ legacy: 2000, postgres: 20 })).toBe(500);
    expect(throttle.pausedMs).toBe(580);
  });

  it('learns a better time and measures against it', () => {
    const throttle = new LatencyThrottle();
    throttle.pauseAfter({ postgres: 100 });
    throttle.pauseAfter({ postgres: 10 });
    expect(throttle.pauseAfter({ postgres: 30 })).toBe(20);
  });
});

import { describe, expect, it } from 'vitest';
import { createDrainGate } from './drain.js';

describe('createDrainGate', () => {
  it('drains at once when nothing is in flight', async () => {
    const gate = createDrainGate();
    const started = Date.now();
    await gate.drain(5000);
    expect(Date.now() - started).toBeLessThan(100);
    expect(gate.draining).toBe(true);
  });

  it('waits for the requests in flight, counting each end once', async () => {
    const gate = createDrainGate();
    const first = gate.enter();
    const second = gate.enter();
    let drained = false;
    const drain = gate.drain(5000).then(() => (drained = true));
    first();
    first();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(drained).toBe(false);
    second();
    await drain;
    expect(drained).toBe(true);
  });

  it('gives up waiting after the grace period', async () => {
    const gate = createDrainGate();
    gate.enter();
    const started = Date.now();
    await gate.drain(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});

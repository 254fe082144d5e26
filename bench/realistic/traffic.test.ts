import { describe, expect, it } from 'vitest';
import { createRandom } from '../../lib/seeded-random.js';
import { createTraffic, createZipf, type BenchSession, type Step } from './traffic.js';

const sessions: BenchSession[] = Array.from({ length: 200 }, (_, n) => ({
  id: `s${n}`,
  patientId: `p${n % 8}`,
  active: n % 10 !== 0,
  responseIds: [`s${n}-r2`, `s${n}-r4`],
}));
const take = (steps: Generator<Step>, count: number): Step[] => Array.from({ length: count }, () => steps.next().value as Step);

describe('realistic traffic', () => {
  it('draws low ranks far more often than high ones (Zipf)', () => {
    const draw = createZipf(1000, 1, createRandom(1));
    const counts = new Array<number>(1000).fill(0);
    for (let n = 0; n < 100_000; n += 1) {
      const rank = draw();
      counts[rank] = (counts[rank] ?? 0) + 1;
    }
    expect(counts[0]).toBeGreaterThan(10 * (counts[99] ?? 0));
    expect(Math.min(...counts.slice(0, 10))).toBeGreaterThan(Math.max(...counts.slice(500)));
  });

  it('has patients read only their own sessions, a visit at a time', () => {
    const traffic = createTraffic(sessions, { patientClients: 2, readsPerVisit: 3, writeShare: 0, skew: 1 }, createRandom(2));
    const steps = take(traffic.client(0), 300);
    for (const step of steps) {
      expect(step.caller.role).toBe('patient');
      if (step.caller.role === 'patient') expect(step.session.patientId).toBe(step.caller.patientId);
    }
    const callers = new Set(steps.map((step) => (step.caller.role === 'patient' ? step.caller.patientId : '')));
    expect(callers.size).toBeGreaterThan(4);
  });

  it('has clinicians read any session, skewed towards a few', () => {
    const traffic = createTraffic(sessions, { patientClients: 0, readsPerVisit: 3, writeShare: 0, skew: 1 }, createRandom(3));
    const steps = take(traffic.client(0), 2000);
    const reads = new Map<string, number>();
    for (const step of steps) reads.set(step.session.id, (reads.get(step.session.id) ?? 0) + 1);
    const counts = [...reads.values()].sort((a, b) => b - a);
    expect(new Set(steps.map((step) => step.session.patientId)).size).toBe(8);
    expect(counts[0]).toBeGreaterThan(100);
    expect(reads.size).toBeGreaterThan(100);
  });

  it('writes the share asked, never a message to an ended session, never the same rating twice', () => {
    const traffic = createTraffic(sessions, { patientClients: 0, readsPerVisit: 3, writeShare: 0.2, skew: 0.5 }, createRandom(4));
    const steps = take(traffic.client(5), 1000);
    const writes = steps.filter((step) => step.kind !== 'read');
    expect(writes.length / steps.length).toBeGreaterThan(0.15);
    expect(writes.length / steps.length).toBeLessThan(0.25);
    expect(writes.filter((step) => step.kind === 'postMessage').every((step) => step.session.active)).toBe(true);
    const ratings = writes.flatMap((step) => (step.kind === 'submitFeedback' ? [step.responseId] : []));
    expect(ratings.length).toBeGreaterThan(40);
    expect(new Set(ratings).size).toBe(ratings.length);
  });
});

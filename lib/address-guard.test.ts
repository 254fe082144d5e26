import { describe, expect, it } from 'vitest';
import { createAddressGuard } from './address-guard.js';

describe('createAddressGuard', () => {
  it('blocks an address once it has used up its unauthenticated requests, until the window ends', () => {
    let clock = 1_000_000;
    const guard = createAddressGuard({ max: 3, windowSeconds: 60, now: () => clock });
    for (let request = 0; request < 3; request += 1) {
      expect(guard.blockedFor('10.0.0.1')).toBeUndefined();
      guard.charge('10.0.0.1');
    }
    expect(guard.blockedFor('10.0.0.1')).toBe(60);
    expect(guard.blockedFor('10.0.0.2')).toBeUndefined();
    clock += 45_000;
    expect(guard.blockedFor('10.0.0.1')).toBe(15);
    clock += 15_000;
    expect(guard.blockedFor('10.0.0.1')).toBeUndefined();
  });

  it('forgets the oldest address when it tracks too many', () => {
    const guard = createAddressGuard({ max: 1, windowSeconds: 60, maxAddresses: 2 });
    guard.charge('a');
    guard.charge('b');
    guard.charge('c');
    expect(guard.blockedFor('a')).toBeUndefined();
    expect(guard.blockedFor('c')).toBe(60);
  });
});

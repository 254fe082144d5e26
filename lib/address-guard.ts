/**
 * Counts, per client address, the requests that came without valid credentials (none, malformed,
 * forged, expired) in a fixed window. Past `max`, the address is refused before its token is even
 * verified, until the window ends, so a flood of bad tokens cannot buy CPU. In process: it
 * protects the process it runs in, and needs no store round trip on the hot path.
 */
export interface AddressGuard {
  /** Whether the address has used up its allowance of unauthenticated requests; returns the seconds until it resets. */
  blockedFor(address: string): number | undefined;
  /** Counts one request without valid credentials. */
  charge(address: string): void;
}

export function createAddressGuard(options: { max: number; windowSeconds: number; maxAddresses?: number; now?: () => number }): AddressGuard {
  const windowMs = options.windowSeconds * 1000;
  const maxAddresses = options.maxAddresses ?? 100_000;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  const current = (address: string) => {
    const entry = windows.get(address);
    if (entry && now() - entry.start < windowMs) return entry;
    windows.delete(address);
    return undefined;
  };
  return {
    blockedFor(address) {
      const entry = current(address);
      if (!entry || entry.count < options.max) return undefined;
      return Math.max(1, Math.ceil((entry.start + windowMs - now()) / 1000));
    },
    charge(address) {
      const entry = current(address);
      if (entry) {
        entry.count += 1;
        return;
      }
      if (windows.size >= maxAddresses) windows.delete(windows.keys().next().value as string);
      windows.set(address, { start: now(), count: 1 });
    },
  };
}

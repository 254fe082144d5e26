import type { VerifyToken, Viewer } from './auth.js';

/** A verifier that also tells, without verifying anything, whether a header is one it verified recently. */
export type CachedVerifier = VerifyToken & { remembers(authorization: string | undefined): boolean };

/**
 * Remembers verified tokens for up to `maxAgeMs` (never past their `exp`): clients send the same
 * token on every request and an HS256/JWKS verification costs more than the rest of a cached
 * request. Failures are not remembered, so a bad token is checked (and rejected) every time.
 */
export function createCachedVerifier(verify: VerifyToken, options: { maxEntries?: number; maxAgeMs?: number } = {}): CachedVerifier {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const verified = new Map<string, { viewer: Viewer; until: number }>();
  const known = (authorization: string): { viewer: Viewer; until: number } | undefined => {
    const entry = verified.get(authorization);
    if (entry && entry.until > Date.now()) return entry;
    verified.delete(authorization);
    return undefined;
  };
  const cached = async (authorization: string | undefined) => {
    if (authorization === undefined || authorization === '') return verify(authorization);
    const entry = known(authorization);
    if (entry) return entry.viewer;
    const viewer = await verify(authorization);
    if (viewer) {
      const now = Date.now();
      const expiresAt = typeof viewer.claims.exp === 'number' ? viewer.claims.exp * 1000 : now + maxAgeMs;
      if (verified.size >= maxEntries) verified.delete(verified.keys().next().value as string);
      verified.set(authorization, { viewer, until: Math.min(now + maxAgeMs, expiresAt) });
    }
    return viewer;
  };
  return Object.assign(cached, { remembers: (authorization: string | undefined) => authorization !== undefined && known(authorization) !== undefined });
}

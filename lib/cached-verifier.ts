import type { VerifyToken, Viewer } from './auth.js';

/**
 * Remembers verified tokens for up to `maxAgeMs` (never past their `exp`): clients send the same
 * token on every request and an HS256/JWKS verification costs more than the rest of a cached
 * request. Failures are not remembered, so a bad token is checked (and rejected) every time.
 */
export function createCachedVerifier(verify: VerifyToken, options: { maxEntries?: number; maxAgeMs?: number } = {}): VerifyToken {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const verified = new Map<string, { viewer: Viewer; until: number }>();
  return async (authorization) => {
    if (authorization === undefined || authorization === '') return verify(authorization);
    const now = Date.now();
    const known = verified.get(authorization);
    if (known && known.until > now) return known.viewer;
    verified.delete(authorization);
    const viewer = await verify(authorization);
    if (viewer) {
      const expiresAt = typeof viewer.claims.exp === 'number' ? viewer.claims.exp * 1000 : now + maxAgeMs;
      if (verified.size >= maxEntries) verified.delete(verified.keys().next().value as string);
      verified.set(authorization, { viewer, until: Math.min(now + maxAgeMs, expiresAt) });
    }
    return viewer;
  };
}

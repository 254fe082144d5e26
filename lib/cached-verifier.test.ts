import { describe, expect, it } from 'vitest';
import { createTokenVerifier, signDevToken } from './auth.js';
import { loadConfig } from './config.js';
import { createCachedVerifier } from './cached-verifier.js';

const auth = loadConfig({}).auth;

describe('createCachedVerifier', () => {
  it('verifies a token once and then answers from memory', async () => {
    let calls = 0;
    const real = createTokenVerifier(auth);
    const cached = createCachedVerifier(async (header) => {
      calls += 1;
      return real(header);
    });
    const header = `Bearer ${await signDevToken(auth, { sub: 'u1', role: 'clinician' })}`;
    expect((await cached(header))?.sub).toBe('u1');
    expect((await cached(header))?.sub).toBe('u1');
    expect(calls).toBe(1);
  });

  it('never remembers a token past its expiry, nor a rejected one', async () => {
    let calls = 0;
    const real = createTokenVerifier(auth);
    const cached = createCachedVerifier(async (header) => {
      calls += 1;
      return real(header);
    });
    const soon = `Bearer ${await signDevToken(auth, { sub: 'u2', role: 'analyst' }, Math.floor(Date.now() / 1000) + 1)}`;
    expect((await cached(soon))?.sub).toBe('u2');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expect(cached(soon)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await expect(cached('Bearer nonsense')).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await expect(cached('Bearer nonsense')).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(calls).toBe(4);
  });
});

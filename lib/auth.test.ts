import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier, signDevToken } from './auth.js';
import { AppError } from './errors.js';
import { loadConfig } from './config.js';

const { auth } = loadConfig({});
const verify = createTokenVerifier(auth);

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return error instanceof AppError ? error.extensions.code : error;
  }
}

describe('createTokenVerifier', () => {
  it('accepts a development token and returns its claims', async () => {
    const token = await signDevToken(auth, { sub: 'u-1', role: 'patient', patientId: 'patient:demo' });
    const viewer = await verify(`Bearer ${token}`);
    expect(viewer).toMatchObject({ sub: 'u-1', role: 'patient', patientId: 'patient:demo' });
  });

  it('treats a missing header as anonymous', async () => {
    expect(await verify(undefined)).toBeUndefined();
  });

  it('refuses expired, foreign, malformed and incomplete tokens', async () => {
    const expired = await signDevToken(auth, { sub: 'u-1', role: 'clinician' }, Math.floor(Date.now() / 1000) - 60);
    expect(await codeOf(verify(`Bearer ${expired}`))).toBe('UNAUTHENTICATED');

    const otherSecret = createTokenVerifier({ ...auth, jwtSecret: 'another-secret-that-is-long-enough-0000' });
    const token = await signDevToken(auth, { sub: 'u-1', role: 'clinician' });
    expect(await codeOf(otherSecret(`Bearer ${token}`))).toBe('UNAUTHENTICATED');

    const wrongAudience = createTokenVerifier({ ...auth, audience: 'someone-else' });
    expect(await codeOf(wrongAudience(`Bearer ${token}`))).toBe('UNAUTHENTICATED');

    expect(await codeOf(verify(`Basic ${token}`))).toBe('UNAUTHENTICATED');

    const patientWithoutRecord = await signDevToken(auth, { sub: 'u-2', role: 'patient' });
    expect(await codeOf(verify(`Bearer ${patientWithoutRecord}`))).toBe('UNAUTHENTICATED');

    const unknownRole = await new SignJWT({ role: 'superuser' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-3')
      .setIssuer(auth.issuer)
      .setAudience(auth.audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret);
    expect(await codeOf(verify(`Bearer ${unknownRole}`))).toBe('UNAUTHENTICATED');
  });

  const secret = new TextEncoder().encode(auth.jwtSecret);
  const sign = (build: (jwt: SignJWT) => SignJWT) => build(new SignJWT({ role: 'clinician' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u-4').setIssuer(auth.issuer).setAudience(auth.audience)).sign(secret);

  it('requires exp and iat, and refuses a token that lives longer than allowed', async () => {
    expect(await codeOf(verify(`Bearer ${await sign((jwt) => jwt.setIssuedAt())}`))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verify(`Bearer ${await sign((jwt) => jwt.setExpirationTime('1h'))}`))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verify(`Bearer ${await sign((jwt) => jwt.setIssuedAt().setExpirationTime('500y'))}`))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verify(`Bearer ${await sign((jwt) => jwt.setIssuedAt(Math.floor(Date.now() / 1000) - 2 * 86_400).setExpirationTime('1h'))}`))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verify(`Bearer ${await sign((jwt) => jwt.setIssuedAt().setExpirationTime('12h'))}`))).toBe('no error');
  });
});

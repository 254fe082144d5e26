import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { canReadPatient, createTokenVerifier, requireRole, signDevToken, type Viewer } from './auth.js';
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
    expect(viewer).toMatchObject({ sub: 'u-1', role: 'patient', patientId: 'patient:demo', token });
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
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(auth.jwtSecret));
    expect(await codeOf(verify(`Bearer ${unknownRole}`))).toBe('UNAUTHENTICATED');
  });
});

describe('role checks', () => {
  const viewer = (role: Viewer['role'], patientId?: string): Viewer => ({ sub: 's', role, patientId, token: 't', claims: {} });

  it('lets a patient read only its own record; clinicians and services all; analysts none', () => {
    expect(canReadPatient(viewer('patient', 'p-1'), 'p-1')).toBe(true);
    expect(canReadPatient(viewer('patient', 'p-1'), 'p-2')).toBe(false);
    expect(canReadPatient(viewer('clinician'), 'p-2')).toBe(true);
    expect(canReadPatient(viewer('service'), 'p-2')).toBe(true);
    expect(canReadPatient(viewer('analyst'), 'p-2')).toBe(false);
  });

  it('answers FORBIDDEN for a wrong role and UNAUTHENTICATED without a viewer', () => {
    expect(() => requireRole(viewer('analyst'), ['admin'])).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
    expect(() => requireRole(undefined, ['admin'])).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
    expect(requireRole(viewer('admin'), ['admin']).role).toBe('admin');
  });
});

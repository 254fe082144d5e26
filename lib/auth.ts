import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Config } from './config.js';
import { forbidden, unauthenticated } from './errors.js';

export const roles = ['patient', 'clinician', 'analyst', 'service', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Who is calling, from a verified JWT. */
export interface Viewer {
  sub: string;
  role: Role;
  /** Set for role `patient` only: the patient record this caller is. */
  patientId?: string;
  /** The verified token, for services (such as @neo4j/graphql) that read claims themselves. */
  token: string;
  claims: JWTPayload;
}

const claimsSchema = z
  .object({ sub: z.string().min(1), role: z.enum(roles), patientId: z.string().min(1).optional() })
  .refine((claims) => claims.role !== 'patient' || claims.patientId !== undefined, {
    message: 'a patient token needs a patientId claim',
  });

export type VerifyToken = (authorization: string | undefined) => Promise<Viewer | undefined>;

/**
 * Verifies `Authorization: Bearer <JWT>`: HS256 with JWT_SECRET, or the keys at JWKS_URL when set;
 * expiry, issuer and audience always checked. No header gives `undefined` (anonymous);
 * a bad token throws UNAUTHENTICATED.
 */
export function createTokenVerifier(auth: Config['auth']): VerifyToken {
  const key: Uint8Array | JWTVerifyGetKey = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : new TextEncoder().encode(auth.jwtSecret);
  const algorithms = auth.jwksUrl ? ['RS256', 'ES256', 'PS256', 'EdDSA'] : ['HS256'];
  return async (authorization) => {
    if (authorization === undefined || authorization === '') return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <token>"');
    const token = match[1];
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as Uint8Array, { issuer: auth.issuer, audience: auth.audience, algorithms }));
    } catch (error) {
      throw unauthenticated(`Invalid token: ${(error as Error).message}`);
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated(`Invalid token claims: ${claims.error.issues.map((issue) => issue.message).join('; ')}`);
    return { ...claims.data, token, claims: payload };
  };
}

/** Signs an HS256 token with JWT_SECRET: for development, demos and tests only. */
export function signDevToken(
  auth: Config['auth'],
  claims: { sub: string; role: Role; patientId?: string },
  expiresIn: string | number = '12h',
): Promise<string> {
  return new SignJWT({ role: claims.role, ...(claims.patientId ? { patientId: claims.patientId } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(auth.jwtSecret));
}

/** The viewer, or UNAUTHENTICATED. */
export function requireViewer(viewer: Viewer | undefined): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}

/** The viewer when its role is one of `allowed`, else FORBIDDEN (or UNAUTHENTICATED without a token). */
export function requireRole(viewer: Viewer | undefined, allowed: readonly Role[]): Viewer {
  const known = requireViewer(viewer);
  if (!allowed.includes(known.role)) throw forbidden(`This needs one of the roles ${allowed.join(', ')}`);
  return known;
}

/** Clinicians, services and admins see every patient; a patient only itself; analysts none. */
export function canReadPatient(viewer: Viewer, patientId: string): boolean {
  if (viewer.role === 'patient') return viewer.patientId === patientId;
  return viewer.role === 'clinician' || viewer.role === 'service' || viewer.role === 'admin';
}

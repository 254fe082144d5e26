import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Config } from './config.js';
import { unauthenticated } from './errors.js';

export const roles = ['patient', 'clinician', 'analyst', 'service', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Who is calling, from a verified JWT. */
export interface Viewer {
  sub: string;
  role: Role;
  /** Set for role `patient` only: the patient record this caller is. */
  patientId?: string;
  claims: JWTPayload;
}

const claimsSchema = z
  .object({ sub: z.string().min(1), role: z.enum(roles), patientId: z.string().min(1).optional() })
  .refine((claims) => claims.role !== 'patient' || claims.patientId !== undefined, {
    message: 'a patient token needs a patientId claim',
  });

export type VerifyToken = (authorization: string | undefined) => Promise<Viewer | undefined>;

/**
 * Verifies `Authorization: Bearer <JWT>`: the keys at JWKS_URL when set, else HS256 with
 * JWT_SECRET; issuer, audience, `exp` and `iat` are required, and a token may not live longer
 * than `maxLifetimeSeconds` (an `exp` centuries away is refused). No header gives `undefined`
 * (anonymous); a bad token throws UNAUTHENTICATED.
 */
export function createTokenVerifier(auth: Config['auth']): VerifyToken {
  const key = verificationKey(auth);
  const algorithms = auth.jwksUrl ? ['RS256', 'ES256', 'PS256', 'EdDSA'] : ['HS256'];
  return async (authorization) => {
    if (authorization === undefined || authorization === '') return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <token>"');
    const token = match[1];
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as Uint8Array, {
        issuer: auth.issuer,
        audience: auth.audience,
        algorithms,
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: auth.maxLifetimeSeconds,
      }));
    } catch (error) {
      throw unauthenticated(`Invalid token: ${(error as Error).message}`);
    }
    if ((payload.exp as number) - (payload.iat as number) > auth.maxLifetimeSeconds) {
      throw unauthenticated(`Invalid token: it lives longer than the ${auth.maxLifetimeSeconds} s allowed`);
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated(`Invalid token claims: ${claims.error.issues.map((issue) => issue.message).join('; ')}`);
    return { ...claims.data, claims: payload };
  };
}

function verificationKey(auth: Config['auth']): Uint8Array | JWTVerifyGetKey {
  if (auth.jwksUrl) return createRemoteJWKSet(new URL(auth.jwksUrl));
  if (!auth.jwtSecret) throw new Error('No token key: set JWKS_URL or JWT_SECRET');
  return new TextEncoder().encode(auth.jwtSecret);
}

function requireSecret(auth: Config['auth']): string {
  if (!auth.jwtSecret) throw new Error('Development tokens need JWT_SECRET (production signs its tokens elsewhere)');
  return auth.jwtSecret;
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
    .sign(new TextEncoder().encode(requireSecret(auth)));
}

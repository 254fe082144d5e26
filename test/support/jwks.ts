import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Role } from '../../lib/auth.js';

export interface JwksIssuer {
  /** Where the public key is published (JWKS_URL). */
  url: string;
  /** A token signed with the private key, as an identity provider would issue it. */
  sign(claims: { sub: string; role: Role; patientId?: string }, auth: { issuer: string; audience: string }): Promise<string>;
  /** A token with any claims and registered claims set by `build` (for tokens that must be refused). */
  signCustom(build: (jwt: SignJWT) => SignJWT, claims: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** An RS256 key pair and an HTTP server publishing its JWKS: production's key source, for tests. */
export async function startJwksIssuer(): Promise<JwksIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    sign: (claims, auth) =>
      new SignJWT({ role: claims.role, ...(claims.patientId ? { patientId: claims.patientId } : {}) })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setSubject(claims.sub)
        .setIssuer(auth.issuer)
        .setAudience(auth.audience)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey),
    signCustom: (build, claims) => build(new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' })).sign(privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

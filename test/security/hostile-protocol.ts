import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { developmentJwtSecret } from '../../lib/config.js';
import { bearer, json, readerToken, sha256, shapes, type HostileRequest } from './hostile-request.js';
import type { HostileWorld, Target } from './hostile-world.js';

/** Finding 12 and 2: tokens nobody should accept. */
export async function forgedTokens(world: HostileWorld): Promise<[string, string | undefined][]> {
  const { issuer, audience } = world.config.auth;
  const now = Math.floor(Date.now() / 1000);
  const hs = (secret: string, build: (jwt: SignJWT) => SignJWT = (jwt) => jwt) =>
    build(new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('intruder').setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('1h')).sign(
      new TextEncoder().encode(secret),
    );
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const rs = (claims: Record<string, unknown>, build: (jwt: SignJWT) => SignJWT = (jwt) => jwt, key = otherKey) =>
    build(new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).setIssuer(issuer).setAudience(audience)).sign(key);
  const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', role: 'admin', iss: issuer, aud: audience, iat: now, exp: now + 600 })).toString('base64url')}.`;
  const valid = world.tokens.clinician;
  const [header, payload] = valid.split('.') as [string, string];
  const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' })).toString('base64url')}.${valid.split('.')[2]}`;
  return [
    ['no Authorization header', undefined],
    ['an empty bearer', 'Bearer '],
    ['Basic credentials', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ['garbage in three parts', 'Bearer a.b.c'],
    ['alg none', `Bearer ${unsigned}`],
    ['HS256 with the development secret of .env.example', `Bearer ${await hs(developmentJwtSecret)}`],
    ['HS256 with a guessed secret', `Bearer ${await hs('secret-secret-secret-secret-secret-1')}`],
    ['RS256 with a key not in the JWKS', `Bearer ${await rs({ role: 'admin', sub: 'intruder' }, (jwt) => jwt.setIssuedAt().setExpirationTime('1h'))}`],
    ['a claim changed after signing', `Bearer ${tampered}`],
    ['expired', `Bearer ${await signWithIssuerKey(world, (jwt) => jwt.setIssuedAt(now - 7200).setExpirationTime(now - 3600))}`],
    ['without exp', `Bearer ${await signWithIssuerKey(world, (jwt) => jwt.setIssuedAt())}`],
    ['exp five centuries away', `Bearer ${await signWithIssuerKey(world, (jwt) => jwt.setIssuedAt().setExpirationTime('500y'))}`],
    ['without iat', `Bearer ${await signWithIssuerKey(world, (jwt) => jwt.setExpirationTime('1h'))}`],
    ['iat in the future', `Bearer ${await signWithIssuerKey(world, (jwt) => jwt.setIssuedAt(now + 3600).setExpirationTime(now + 7200))}`],
    ['another issuer', `Bearer ${await signWithIssuerKey(world, (jwt) => jwt.setIssuedAt().setExpirationTime('1h').setIssuer('someone-else'))}`],
    ['another audience', `Bearer ${await signWithIssuerKey(world, (jwt) => jwt.setIssuedAt().setExpirationTime('1h').setAudience('another-api'))}`],
    ['an unknown role', `Bearer ${await signWithIssuerKey(world, (jwt) => jwt.setIssuedAt().setExpirationTime('1h'), { role: 'superuser' })}`],
    ['a patient without patientId', `Bearer ${await signWithIssuerKey(world, (jwt) => jwt.setIssuedAt().setExpirationTime('1h'), { role: 'patient' })}`],
    ['a role given as a list', `Bearer ${await signWithIssuerKey(world, (jwt) => jwt.setIssuedAt().setExpirationTime('1h'), { role: ['admin'] })}`],
    ['an 8 KB token', `Bearer ${'A'.repeat(8000)}`],
    ['two tokens', `Bearer ${valid} Bearer ${valid}`],
  ];
}

/** A token signed by the world's own identity provider, with claims bent by `build`. */
function signWithIssuerKey(world: HostileWorld, build: (jwt: SignJWT) => SignJWT, claims: Record<string, unknown> = { role: 'admin' }): Promise<string> {
  return world.issuer.signCustom((jwt) => build(jwt.setSubject('bent').setIssuer(world.config.auth.issuer).setAudience(world.config.auth.audience)), claims);
}

export function tokenRequests(target: Target, world: HostileWorld, tokens: [string, string | undefined][]): HostileRequest[] {
  return tokens.flatMap(([name, authorization]) =>
    [shapes[target].leaf, '{ __typename }'].map((query, index) => ({
      finding: name.includes('exp') || name.includes('iat') ? 12 : 2,
      name: `token: ${name}${index ? ' (__typename)' : ''}`,
      target,
      headers: { ...json, ...(authorization ? { authorization } : {}) },
      body: { query },
      expect: { status: 401, code: 'UNAUTHENTICATED' },
    })),
  );
}

/** Finding 11: requests that are malformed at the HTTP level. */
export function httpRequests(target: Target, world: HostileWorld): HostileRequest[] {
  const token = readerToken(world, target);
  const auth = bearer(token);
  const query = shapes[target].leaf;
  const raw = (line: string, extra = '') => `${line}\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n${extra}\r\n`;
  const persisted = (extensions: unknown, withQuery = false) => ({ ...(withQuery ? { query } : {}), extensions });
  const rows: [string, Partial<HostileRequest>][] = [
    ['GET with a mutation', { method: 'GET', path: `/graphql?query=${encodeURIComponent('mutation { endSession(id: "x") { id } }')}`, headers: { authorization: auth.authorization } }],
    ['invalid JSON', { body: '{"query": "{ __typename }"' }],
    ['JSON null', { body: 'null' }],
    ['JSON number', { body: '42' }],
    ['JSON string', { body: '"{ __typename }"' }],
    ['an empty batch', { body: '[]' }],
    ['a batch', { body: [{ query }, { query }] }],
    ['text/plain (CSRF)', { headers: { authorization: auth.authorization, 'content-type': 'text/plain' }, body: JSON.stringify({ query }) }],
    ['no content type', { headers: { authorization: auth.authorization }, body: JSON.stringify({ query }) }],
    ['no query', { body: {} }],
    ['query a number', { body: { query: 42 } }],
    ['query a list', { body: { query: [query] } }],
    ['variables a string', { body: { query, variables: 'x' } }],
    ['variables a list', { body: { query, variables: [1] } }],
    ['operationName unknown', { body: { query: `query A ${query}`, operationName: 'B' } }],
    ['operationName a number', { body: { query: `query A ${query}`, operationName: 7 } }],
    ['two operations, none named', { body: { query: `query A ${query} query B ${query}` } }],
    ['a subscription', { body: { query: 'subscription { messageAdded(sessionId: "x") { id } }' } }],
    ['a subscription the schema lacks entirely', { body: { query: 'subscription S { __typename }' } }],
    ['persisted query: unknown hash', { body: persisted({ persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } }) }],
    ['persisted query: hash of another text', { body: persisted({ persistedQuery: { version: 1, sha256Hash: sha256('{ x }') } }, true) }],
    ['persisted query: version 2', { body: persisted({ persistedQuery: { version: 2, sha256Hash: sha256(query) } }, true) }],
    ['persisted query: hash a number', { body: persisted({ persistedQuery: { version: 1, sha256Hash: 42 } }, true) }],
    ['persisted query: a string', { body: persisted({ persistedQuery: 'yes' }, true) }],
    ['persisted query: null', { body: persisted({ persistedQuery: null }) }],
    ['extensions a string', { body: { query, extensions: 'x' } }],
    ['a body over the size limit', { body: { query: `${query} # ${'x'.repeat(world.config.limits.maxBodyBytes)}` }, expect: { status: 413 } }],
    ['PUT', { method: 'PUT', body: { query } }],
    ['DELETE', { method: 'DELETE' }],
    ['PATCH', { method: 'PATCH', body: { query } }],
    ['an unknown route', { method: 'GET', path: '/admin', expect: { status: 404 } }],
    ['a path climbing out', { raw: raw('GET /graphql/../../../etc/passwd HTTP/1.1') }],
    ['a truncated percent escape', { raw: raw('GET /graphql% HTTP/1.1') }],
    ['an invalid UTF-8 escape', { raw: raw('GET /%E0%A4%A HTTP/1.1') }],
    ['a double slash', { raw: raw('GET //graphql?query=%7B__typename%7D HTTP/1.1') }],
    ['a malformed query string', { raw: raw('GET /graphql?query=%ZZ HTTP/1.1') }],
    ['an absolute-form target', { raw: raw('GET http://evil.example/graphql?query=%7B__typename%7D HTTP/1.1') }],
    ['an authority-form target', { raw: raw('CONNECT evil.example:443 HTTP/1.1'), expect: { status: 405 } }],
    ['an asterisk target', { raw: raw('OPTIONS * HTTP/1.1') }],
    ['Content-Length larger than the limit', { raw: raw('POST /graphql HTTP/1.1', `Content-Type: application/json\r\nContent-Length: 99999999\r\n`) }],
    ['a body shorter than its Content-Length', { raw: `${raw('POST /graphql HTTP/1.1', 'Content-Type: application/json\r\nContent-Length: 100\r\n')}{"query":"{ __typename }"}`, expect: { status: 408 } }],
  ];
  return rows.map(([name, request]) => ({ finding: 11, name: `http: ${name}`, target, headers: auth, ...request }));
}


import { createHash, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { developmentJwtSecret } from '../../lib/config.js';
import { encodeCursor } from '../../subgraphs/operations/paging/cursor.js';
import type { HostileWorld, Target } from './hostile-world.js';

/**
 * Hostile requests, each named after the finding of the security issue it probes (1 to 14).
 * Every request goes to the gateway or straight to one subgraph. `expect`, when given, is what a
 * correct system answers; every answer is also checked for 5xx, internal text and time.
 */
export interface HostileRequest {
  finding: number;
  name: string;
  target: Target;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
  /** Sent over a raw socket as written (request line included): for what fetch would normalise. */
  raw?: string;
  /** What a correct system answers: this status, and one of these error codes. */
  expect?: { status?: number; code?: string | readonly string[] };
}

const json = { 'content-type': 'application/json' };
/**
 * Who sends the requests that may pass: a clinician, but a patient to the search subgraph, whose
 * searches are never kept in the query log (a clinician's would be, by design, and the suite
 * checks that nothing in any store changes).
 */
const readerToken = (world: HostileWorld, target: Target) => (target === 'search' ? world.tokens.patient : world.tokens.clinician);
const bearer = (token: string) => ({ ...json, authorization: `Bearer ${token}` });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A field of each target that lists, recurses and takes strings: the shapes the families below build on. */
const shapes: Record<Target, { leaf: string; list: (size: string) => string; nest: (depth: number) => string }> = {
  gateway: {
    leaf: '{ layerStats { layer } }',
    list: (size) => `{ searchEntities(text: "crohn", first: ${size}) { id relations(first: ${size}) { type } } }`,
    nest: (depth) => `{ medicalEntity(id: "x") { ${'relations { target { '.repeat(depth)}id${' } }'.repeat(depth)} } }`,
  },
  knowledge: {
    leaf: '{ layerStats { layer } }',
    list: (size) => `{ searchEntities(text: "crohn", first: ${size}) { id relations(first: ${size}) { type } } }`,
    nest: (depth) => `{ medicalEntity(id: "x") { ${'relations { target { '.repeat(depth)}id${' } }'.repeat(depth)} } }`,
  },
  operations: {
    leaf: '{ documents(first: 1) { totalCount } }',
    list: (size) => `{ documents(first: ${size}) { edges { node { id } } } feedbackDailyStats(days: ${size}) { total } }`,
    nest: (depth) => `{ session(id: "x") { ${'messages { edges { node { session { '.repeat(depth)}id${' } } } }'.repeat(depth)} } }`,
  },
  search: {
    leaf: '{ semanticSearch(text: "asthma", k: 1) { score } }',
    list: (size) => `{ semanticSearch(text: "asthma", k: ${size}) { score chunk { document { chunks(first: ${size}) { id } } } } }`,
    nest: (depth) => `{ semanticSearch(text: "asthma", k: 1) { ${'chunk { document { chunks { '.repeat(depth)}id${' } } }'.repeat(depth)} } }`,
  },
};

/** The entity type of each subgraph that the families below spread fragments on. */
const fragmentType: Record<Target, { type: string; field: string; root: string }> = {
  gateway: { type: 'MedicalEntity', field: 'name', root: 'medicalEntity(id: "x")' },
  knowledge: { type: 'MedicalEntity', field: 'name', root: 'medicalEntity(id: "x")' },
  operations: { type: 'Session', field: 'title', root: 'session(id: "x")' },
  search: { type: 'SearchHit', field: 'score', root: 'semanticSearch(text: "asthma", k: 1)' },
};

/** Finding 12 and 2: tokens nobody should accept. */
async function forgedTokens(world: HostileWorld): Promise<[string, string | undefined][]> {
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

function tokenRequests(target: Target, world: HostileWorld, tokens: [string, string | undefined][]): HostileRequest[] {
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
function httpRequests(target: Target, world: HostileWorld): HostileRequest[] {
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

/** Findings 1, 5, 6 and 9: documents that are cheap to send and expensive to answer (or to validate). */
function limitRequests(target: Target, world: HostileWorld): HostileRequest[] {
  const { type, field, root } = fragmentType[target];
  const shape = shapes[target];
  const requests: HostileRequest[] = [];
  const add = (finding: number, name: string, query: string, variables: Record<string, unknown> = {}, expect?: HostileRequest['expect']) =>
    requests.push({ finding, name, target, headers: bearer(readerToken(world, target)), body: { query, variables }, ...(expect ? { expect } : {}) });
  for (let levels = 2; levels <= 24; levels += 1) {
    const fragments = Array.from({ length: levels }, (_, level) => (level === 0 ? `fragment F0 on ${type} { ${field} }` : `fragment F${level} on ${type} { ...F${level - 1} ...F${level - 1} }`)).join('\n');
    add(1, `freeze: fragments spreading the previous twice, ${levels} levels`, `{ ${root} { ...F${levels - 1} } }\n${fragments}`);
  }
  for (const count of [60, 150, 400]) {
    add(1, `freeze: ${count} fragments spread side by side`, `{ ${root} { ${Array.from({ length: count }, (_, index) => `...G${index}`).join(' ')} } }\n${Array.from({ length: count }, (_, index) => `fragment G${index} on ${type} { ${field} }`).join('\n')}`);
  }
  for (const count of [251, 1000, 4000]) add(1, `freeze: the same field ${count} times`, `{ ${root} { ${`${field} `.repeat(count)} } }`);
  for (const count of [100, 600]) add(1, `freeze: the same field with arguments ${count} times`, `{ ${`__type(name: "Query") { name } `.repeat(count)} }`);
  add(1, 'freeze: a document just under the body limit', `{ ${root} { ${`${field} `.repeat(Math.floor(world.config.limits.maxBodyBytes / (field.length + 1)) - 20)} } }`);
  add(1, 'freeze: more tokens than allowed', `{ ${'__typename '.repeat(world.config.limits.maxTokens + 10)} }`);
  for (const depth of [13, 30, 200, 2000]) add(6, `depth: ${depth} levels`, shape.nest(depth));
  for (const count of [31, 100, 1000]) add(6, `aliases: ${count}`, `{ ${Array.from({ length: count }, (_, index) => `a${index}: __typename`).join(' ')} }`);
  for (const count of [2, 31, 200]) add(9, `introspection: ${count} aliased __schema`, `{ ${Array.from({ length: count }, (_, index) => `s${index}: __schema { types { name fields { name } } }`).join(' ')} }`);
  add(9, 'introspection: 200 aliases inside one __schema', `{ __schema { ${Array.from({ length: 200 }, (_, index) => `t${index}: types { name }`).join(' ')} } }`);
  add(9, 'introspection in production', '{ __schema { queryType { name } } }', {}, { status: 400 });
  add(9, 'a typo that would get a "Did you mean" hint', `{ ${root.replace(/\(.*/, '')}X { id } }`, {}, { status: 400 });
  add(9, 'a type typo', `{ ${root} { ... on ${type}x { id } } }`, {}, { status: 400 });
  // refused by the cost limit, or (when the price stays under it) by the argument's own bound
  for (const size of [1000, 1_000_000, 2_147_483_647]) add(5, `cost: sizes ${size} passed as variables`, `query ($n: Int) ${shape.list('$n')}`, { n: size }, { code: ['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT'] });
  add(5, 'cost: sizes as a float variable', `query ($n: Int) ${shape.list('$n')}`, { n: 1.5 });
  add(5, 'cost: sizes as a negative variable', `query ($n: Int) ${shape.list('$n')}`, { n: -5 });
  add(5, 'cost: sizes as a string variable', `query ($n: Int) ${shape.list('$n')}`, { n: '99999' });
  add(5, 'cost: literal sizes', shape.list('100000'), {}, { status: 400 });
  return requests;
}

/** Finding 10: a NUL character in each string argument, as a literal and as a variable. */
function nulRequests(target: Target, world: HostileWorld): HostileRequest[] {
  const nul = 'a\u0000b';
  const byTarget: Record<Target, [string, string][]> = {
    knowledge: [
      ['patient(id)', 'query ($v: ID!) { patient(id: $v) { id } }'],
      ['medicalEntity(id)', 'query ($v: ID!) { medicalEntity(id: $v) { id } }'],
      ['searchEntities(text)', 'query ($v: String!) { searchEntities(text: $v) { id } }'],
      ['relations(types)', 'query ($v: String!) { medicalEntity(id: "x") { relations(types: [$v]) { type } } }'],
      ['promoteEntity(reason)', 'mutation ($v: String!) { promoteEntity(id: "x", reason: $v) { id } }'],
      ['upsertMedicalEntity(input.name)', 'mutation ($v: String!) { upsertMedicalEntity(input: { id: "x", name: $v, type: DISEASE, confidence: 0.5 }) { id } }'],
    ],
    operations: [
      ['session(id)', 'query ($v: ID!) { session(id: $v) { id } }'],
      ['sessions(patientId)', 'query ($v: ID!) { sessions(patientId: $v) { totalCount } }'],
      ['searchMessages(text)', `query ($v: String!) { searchMessages(patientId: "${world.patientA}", text: $v) { snippet } }`],
      ['startSession(title)', `mutation ($v: String) { startSession(input: { patientId: "${world.patientA}", title: $v }) { id } }`],
      ['postMessage(content)', `mutation ($v: String!) { postMessage(input: { sessionId: "${world.sessionA.id}", role: USER, content: $v }) { id } }`],
      ['renameSession(title)', `mutation ($v: String!) { renameSession(id: "${world.sessionA.id}", title: $v) { id } }`],
      ['submitFeedback(correction)', `mutation ($v: String) { submitFeedback(input: { responseId: "${world.sessionA.id}-r2", rating: 1, feedbackType: INCORRECT, correction: $v }) { id } }`],
      ['ingestDocument(content)', 'mutation ($v: String!) { ingestDocument(input: { filename: "x.md", content: $v }) { id } }'],
    ],
    search: [
      ['semanticSearch(text)', 'query ($v: String!) { semanticSearch(text: $v) { score } }'],
      ['semanticSearch(filter.documentId)', 'query ($v: ID) { semanticSearch(text: "asthma", filter: { documentId: $v }) { score } }'],
      ['_entities(content)', 'query ($v: String!) { _entities(representations: [{ __typename: "Message", id: "m", content: $v }]) { __typename } }'],
    ],
    gateway: [],
  };
  byTarget.gateway = [...byTarget.knowledge.slice(0, 3), ...byTarget.operations, ...byTarget.search.slice(0, 2)];
  return byTarget[target].flatMap(([argument, query]) => {
    const literal = query.replace(/query \(\$v: [^)]*\) |mutation \(\$v: [^)]*\) /, (prefix) => prefix.replace(/\(.*\) /, '')).replaceAll('$v', JSON.stringify(nul));
    return [
      { finding: 10, name: `NUL in ${argument} (variable)`, target, headers: bearer(world.tokens.admin), body: { query, variables: { v: nul } }, expect: { code: 'BAD_USER_INPUT' } },
      { finding: 10, name: `NUL in ${argument} (literal)`, target, headers: bearer(world.tokens.admin), body: { query: literal }, expect: { code: 'BAD_USER_INPUT' } },
    ];
  });
}

/** Finding 10: Lucene's words and syntax in entity search. */
function luceneRequests(target: Target, world: HostileWorld): HostileRequest[] {
  if (target !== 'gateway' && target !== 'knowledge') return [];
  const texts = ['AND', 'OR', 'NOT', 'crohn AND', 'NOT NOT', 'AND OR NOT', '(', ')', '\\', '*', '?', '~', 'name:crohn', '+-', '&&', '||', '"', 'a/b', '[1 TO 5]', '{a TO b}', 'crohn^10', 'crohn~2', '*rohn', '!!!', ' ', 'x'.repeat(201)];
  return texts.map((text) => ({
    finding: 10,
    name: `search text ${JSON.stringify(text.length > 20 ? `${text.slice(0, 10)}… (${text.length})` : text)}`,
    target,
    headers: bearer(world.tokens.analyst),
    body: { query: 'query ($t: String!) { searchEntities(text: $t) { id } }', variables: { t: text } },
  }));
}

/** Finding 10: cursors a client made up. */
function cursorRequests(target: Target, world: HostileWorld): HostileRequest[] {
  if (target !== 'gateway' && target !== 'operations') return [];
  const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const cursors: [string, string][] = [
    ['year 275760', forged(['+275760-09-13T00:00:00.000Z', 'x'])],
    ['year -500', forged(['-000500-01-01T00:00:00.000Z', 'x'])],
    ['year 10000', forged(['+010000-01-01T00:00:00.000Z', 'x'])],
    ['a 10 KB id', encodeCursor(new Date(), 'x'.repeat(10_000))],
    ['not base64', '%%%'],
    ['an object', forged({ at: 1 })],
  ];
  return cursors.flatMap(([name, cursor]) => [
    { finding: 10, name: `cursor of sessions: ${name}`, target, headers: bearer(world.tokens.clinician), body: { query: `query ($c: String) { sessions(patientId: "${world.patientA}", after: $c) { totalCount } }`, variables: { c: cursor } }, expect: { code: 'BAD_USER_INPUT' } },
    { finding: 10, name: `cursor of documents: ${name}`, target, headers: bearer(world.tokens.analyst), body: { query: 'query ($c: String) { documents(after: $c) { totalCount } }', variables: { c: cursor } }, expect: { code: 'BAD_USER_INPUT' } },
  ]);
}

/** Finding 10 and 6: `_entities` calls no gateway would make. */
function entityRequests(target: Target, world: HostileWorld): HostileRequest[] {
  if (target === 'gateway') return [];
  const own: Record<Exclude<Target, 'gateway'>, string> = { knowledge: 'MedicalEntity', operations: 'Session', search: 'Chunk' };
  const query = `query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }`;
  const cases: [string, unknown, string | undefined][] = [
    ['an unknown __typename', [{ __typename: 'Spaceship', id: 'x' }], 'BAD_USER_INPUT'],
    ['__typename Query', [{ __typename: 'Query', id: 'x' }], 'BAD_USER_INPUT'],
    ['no __typename', [{ id: 'x' }], 'BAD_USER_INPUT'],
    ['__typename a number', [{ __typename: 7, id: 'x' }], 'BAD_USER_INPUT'],
    ['no id', [{ __typename: own[target] }], 'BAD_USER_INPUT'],
    ['id a number', [{ __typename: own[target], id: 7 }], 'BAD_USER_INPUT'],
    ['id an object', [{ __typename: own[target], id: { $ne: null } }], 'BAD_USER_INPUT'],
    ['a 10 KB id', [{ __typename: own[target], id: 'x'.repeat(10_000) }], 'BAD_USER_INPUT'],
    ['a string representation', ['Session:x'], 'BAD_USER_INPUT'],
    ['a null representation', [null], 'BAD_USER_INPUT'],
    ['6 000 representations', Array.from({ length: 6000 }, (_, index) => ({ __typename: own[target], id: `x${index}` })), undefined],
  ];
  if (target === 'search') {
    cases.push(['a chunk id that is no UUID', [{ __typename: 'Chunk', id: 'not-a-uuid' }], 'BAD_USER_INPUT'], ['a chunk id with quotes', [{ __typename: 'Chunk', id: '"; DROP' }], 'BAD_USER_INPUT']);
    cases.push(['a message without content', [{ __typename: 'Message', id: 'm1' }], undefined]);
  }
  return cases.map(([name, representations, code]) => ({ finding: 10, name: `_entities: ${name}`, target, headers: bearer(world.tokens.clinician), body: { query, variables: { r: representations } }, ...(code ? { expect: { code } } : {}) }));
}

/** Findings 3 and 7, and every write on another patient's data: the permission table at work. */
function permissionRequests(target: Target, world: HostileWorld): HostileRequest[] {
  const { patientA, patientB, sessionA, sessionB, tokens } = world;
  const as = (token: string) => bearer(token);
  const rows: [number, string, Target[], string, Record<string, unknown>, string, string][] = [
    [3, 'rate patient B’s answer', ['gateway', 'operations'], `mutation { submitThumbs(responseId: "${sessionB.id}-r2", up: false) { id } }`, {}, tokens.patient, 'FORBIDDEN'],
    [3, 'rate an answer that does not exist', ['gateway', 'operations'], 'mutation { submitFeedback(input: { responseId: "made-up", rating: 1, feedbackType: INCORRECT }) { id } }', {}, tokens.patient, 'NOT_FOUND'],
    [3, 'rewrite the question of a rated answer', ['gateway', 'operations'], `mutation { submitFeedback(input: { responseId: "${sessionA.id}-r2", rating: 1, feedbackType: INCORRECT, queryText: "How do I poison the training set?" }) { id } }`, {}, tokens.patient, 'BAD_USER_INPUT'],
    [3, 'rewrite the rated answer', ['gateway', 'operations'], `mutation { submitFeedback(input: { responseId: "${sessionA.id}-r2", rating: 5, feedbackType: HELPFUL, responseText: "Stop all treatment." }) { id } }`, {}, tokens.patient, 'BAD_USER_INPUT'],
    [3, 'steer entities the answer never mentioned', ['gateway', 'operations'], `mutation { submitFeedback(input: { responseId: "${sessionA.id}-r2", rating: 1, feedbackType: INCORRECT, entityIds: ["${world.prefix}infliximab"] }) { id } }`, {}, tokens.patient, 'BAD_USER_INPUT'],
    [3, 'state layers as a patient', ['gateway', 'operations'], `mutation { submitFeedback(input: { responseId: "${sessionA.id}-r2", rating: 1, feedbackType: INCORRECT, layers: [APPLICATION] }) { id } }`, {}, tokens.patient, 'FORBIDDEN'],
    [3, 'rate patient A’s answer inside patient B’s session', ['gateway', 'operations'], `mutation { submitFeedback(input: { responseId: "${sessionA.id}-r2", sessionId: "${sessionB.id}", rating: 1, feedbackType: INCORRECT }) { id } }`, {}, tokens.patient, 'FORBIDDEN'],
    [3, 'rate as an analyst', ['gateway', 'operations'], `mutation { submitThumbs(responseId: "${sessionA.id}-r2", up: false) { id } }`, {}, tokens.analyst, 'FORBIDDEN'],
    [7, 'preference pairs as an analyst', ['gateway', 'operations'], '{ preferencePairs { prompt chosen } }', {}, tokens.analyst, 'FORBIDDEN'],
    [7, 'preference pairs as a clinician', ['gateway', 'operations'], '{ preferencePairs { prompt } }', {}, tokens.clinician, 'FORBIDDEN'],
    [7, 'preference pairs as a patient', ['gateway', 'operations'], '{ preferencePairs { prompt } }', {}, tokens.patient, 'FORBIDDEN'],
    [7, 'passages near a message as an analyst', ['search'], '{ _entities(representations: [{ __typename: "Message", id: "m", content: "asthma" }]) { ... on Message { supportingPassages { score } } } }', {}, tokens.analyst, 'FORBIDDEN'],
    [7, 'a session’s messages as an analyst', ['gateway', 'operations'], `{ session(id: "${sessionA.id}") { messages { edges { node { content } } } } }`, {}, tokens.analyst, 'FORBIDDEN'],
    [7, 'message search as an analyst', ['gateway', 'operations'], `{ searchMessages(patientId: "${patientA}", text: "Message") { snippet } }`, {}, tokens.analyst, 'FORBIDDEN'],
    [7, 'a patient record as an analyst', ['gateway', 'knowledge'], `{ patient(id: "${patientA}") { diagnoses { condition } } }`, {}, tokens.analyst, 'FORBIDDEN'],
    [0, 'patient B’s sessions as patient A', ['gateway', 'operations'], `{ sessions(patientId: "${patientB}") { totalCount } }`, {}, tokens.patient, 'FORBIDDEN'],
    [0, 'patient B’s session as patient A', ['gateway', 'operations'], `{ session(id: "${sessionB.id}") { title } }`, {}, tokens.patient, 'FORBIDDEN'],
    [0, 'patient B’s messages by search as patient A', ['gateway', 'operations'], `{ searchMessages(patientId: "${patientB}", text: "Message") { snippet } }`, {}, tokens.patient, 'FORBIDDEN'],
    [0, 'post into patient B’s session', ['gateway', 'operations'], `mutation { postMessage(input: { sessionId: "${sessionB.id}", role: USER, content: "hi" }) { id } }`, {}, tokens.patient, 'FORBIDDEN'],
    [0, 'rename patient B’s session', ['gateway', 'operations'], `mutation { renameSession(id: "${sessionB.id}", title: "mine") { id } }`, {}, tokens.patient, 'FORBIDDEN'],
    [0, 'end patient B’s session', ['gateway', 'operations'], `mutation { endSession(id: "${sessionB.id}") { id } }`, {}, tokens.patient, 'FORBIDDEN'],
    [0, 'archive patient B’s session', ['gateway', 'operations'], `mutation { archiveSession(id: "${sessionB.id}") { id } }`, {}, tokens.patient, 'FORBIDDEN'],
    [0, 'start a session for patient B', ['gateway', 'operations'], `mutation { startSession(input: { patientId: "${patientB}" }) { id } }`, {}, tokens.patient, 'FORBIDDEN'],
    [0, 'ingest a document as a patient', ['gateway', 'operations'], 'mutation { ingestDocument(input: { filename: "x.md", content: "# x" }) { id } }', {}, tokens.patient, 'FORBIDDEN'],
    [0, 'refresh the analytics as a clinician', ['gateway', 'operations'], 'mutation { refreshAnalytics }', {}, tokens.clinician, 'FORBIDDEN'],
    [0, 'change the graph as an analyst', ['gateway', 'knowledge'], 'mutation { upsertMedicalEntity(input: { id: "x", name: "x", type: DISEASE, confidence: 0.5 }) { id } }', {}, tokens.analyst, 'FORBIDDEN'],
    [0, 'demote an entity as a patient', ['gateway', 'knowledge'], `mutation { demoteEntity(id: "${world.prefix}crohns", reason: "x") { id } }`, {}, tokens.patient, 'FORBIDDEN'],
    [0, 'run the promotion scan as a clinician', ['gateway', 'knowledge'], 'mutation { promoteEligibleEntities }', {}, tokens.clinician, 'FORBIDDEN'],
    [0, 'relate entities as a service', ['gateway', 'knowledge'], `mutation { relateEntities(fromId: "${world.prefix}crohns", toId: "${world.prefix}pain", type: "CAUSES", confidence: 1, layer: SEMANTIC) { type } }`, {}, tokens.service, 'FORBIDDEN'],
    [0, 'patient B’s Session entity as patient A', ['operations'], `{ _entities(representations: [{ __typename: "Session", id: "${sessionB.id}" }]) { ... on Session { title } } }`, {}, tokens.patient, 'FORBIDDEN'],
    [0, 'patient B’s Message entity as patient A', ['operations'], `{ _entities(representations: [{ __typename: "Message", id: "${sessionB.messageIds[0]}" }]) { ... on Message { content } } }`, {}, tokens.patient, 'FORBIDDEN'],
    [0, 'patient B’s sessions through the Patient entity', ['operations'], `{ _entities(representations: [{ __typename: "Patient", id: "${patientB}" }]) { ... on Patient { sessions { totalCount } } } }`, {}, tokens.patient, 'FORBIDDEN'],
  ];
  return rows
    .filter(([, , where]) => where.includes(target))
    .map(([finding, name, , query, variables, token, code]) => ({ finding, name: `permission: ${name}`, target, headers: as(token), body: { query, variables }, expect: { code } }));
}

/** Finding 8: the routes beside /graphql. */
function routeRequests(target: Target, world: HostileWorld): HostileRequest[] {
  const requests: HostileRequest[] = [
    { finding: 8, name: 'metrics without a token', target, method: 'GET', path: '/metrics', expect: { status: 401 } },
    { finding: 8, name: 'metrics with a user token', target, method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${world.tokens.admin}` }, expect: { status: 401 } },
    { finding: 8, name: 'metrics with a wrong token', target, method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${world.metricsToken}x` }, expect: { status: 401 } },
  ];
  if (target === 'operations') {
    const exportPath = (query: string) => `/export/preference-pairs${query}`;
    requests.push(
      { finding: 7, name: 'export as an analyst', target, method: 'GET', path: exportPath('?format=dpo'), headers: { authorization: `Bearer ${world.tokens.analyst}` }, expect: { status: 403 } },
      { finding: 7, name: 'export without a token', target, method: 'GET', path: exportPath('?format=dpo'), expect: { status: 401 } },
      { finding: 7, name: 'export with a forged token', target, method: 'GET', path: exportPath('?format=dpo'), headers: { authorization: 'Bearer a.b.c' }, expect: { status: 401 } },
      { finding: 11, name: 'export: an unknown format', target, method: 'GET', path: exportPath('?format=csv'), headers: { authorization: `Bearer ${world.tokens.service}` }, expect: { status: 400 } },
      { finding: 11, name: 'export: minRatingGap not a number', target, method: 'GET', path: exportPath('?minRatingGap=lots'), headers: { authorization: `Bearer ${world.tokens.service}` }, expect: { status: 400 } },
      { finding: 11, name: 'export: POST', target, method: 'POST', path: exportPath(''), headers: { authorization: `Bearer ${world.tokens.service}` }, expect: { status: 400 } },
    );
  }
  return requests;
}

/** Every hostile request of the suite, for every target. */
export async function buildHostileCatalog(world: HostileWorld, targets: readonly Target[]): Promise<HostileRequest[]> {
  const tokens = await forgedTokens(world);
  return targets.flatMap((target) => [
    ...tokenRequests(target, world, tokens),
    ...httpRequests(target, world),
    ...limitRequests(target, world),
    ...nulRequests(target, world),
    ...luceneRequests(target, world),
    ...cursorRequests(target, world),
    ...entityRequests(target, world),
    ...permissionRequests(target, world),
    ...routeRequests(target, world),
  ]);
}

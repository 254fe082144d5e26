import { encodeCursor } from '../../subgraphs/operations/paging/cursor.js';
import { permissionRequests, routeRequests } from './hostile-permissions.js';
import { forgedTokens, httpRequests, tokenRequests } from './hostile-protocol.js';
import { bearer, fragmentType, readerToken, shapes, type HostileRequest } from './hostile-request.js';
import type { HostileWorld, Target } from './hostile-world.js';

export type { HostileRequest } from './hostile-request.js';

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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, type Role } from '../../lib/auth.js';
import { actions, grantOf, type Action } from '../../lib/policy.js';
import { startHostileWorld, type HostileWorld, type Target } from './hostile-world.js';

/**
 * The patient-isolation matrix, generated from the permission table (lib/policy): every role
 * against every path of every action (root fields and entity references on each subgraph,
 * search, the cache, the export, writes on another patient's data). A probe concerns patient A
 * (the caller's own, for the patient role) or patient B (someone else's); the table says
 * whether the role may, and the system must agree, the second time too (a cached answer is no
 * way around it).
 */
type Whose = 'own' | 'other' | 'any';

interface Probe {
  name: string;
  target: Target;
  whose: Whose;
  /** The request; `n` makes writes unique per role and attempt. */
  request(world: HostileWorld, n: string): { query?: string; variables?: Record<string, unknown>; path?: string };
  /** A null here means "not yours" (patient records answer null rather than FORBIDDEN). */
  nullMeansDenied?: string;
}

const gql = (query: string, variables: Record<string, unknown> = {}) => ({ query, variables });

/** Where each action can be asked for. Every action of the table has at least one path, but the migration controls (none exist yet). */
const probes: Record<Exclude<Action, 'migration.read' | 'migration.change'>, Probe[]> = {
  'patient.read': (['own', 'other'] as const).flatMap((whose) => {
    const id = (world: HostileWorld) => (whose === 'own' ? world.patientA : world.patientB);
    return [
      { name: 'patient(id)', target: 'gateway', whose, request: (world) => gql('query ($id: ID!) { patient(id: $id) { id diagnoses { condition } } }', { id: id(world) }), nullMeansDenied: 'patient' },
      { name: 'patient(id)', target: 'knowledge', whose, request: (world) => gql('query ($id: ID!) { patient(id: $id) { id medications { name } } }', { id: id(world) }), nullMeansDenied: 'patient' },
      { name: 'Patient entity', target: 'knowledge', whose, request: (world) => gql('query ($id: ID!) { _entities(representations: [{ __typename: "Patient", id: $id }]) { ... on Patient { id allergies { substance } } } }', { id: id(world) }), nullMeansDenied: '_entities.0' },
    ] satisfies Probe[];
  }),
  'conversation.read': (['own', 'other'] as const).flatMap((whose) => {
    const session = (world: HostileWorld) => (whose === 'own' ? world.sessionA : world.sessionB);
    const patient = (world: HostileWorld) => (whose === 'own' ? world.patientA : world.patientB);
    return [
      { name: 'session(id) with messages, mentions and passages', target: 'gateway', whose, request: (world) => gql('query ($id: ID!) { session(id: $id) { title messages { edges { node { content mentions { id } supportingPassages { score } } } } } }', { id: session(world).id }) },
      { name: 'sessions(patientId)', target: 'gateway', whose, request: (world) => gql('query ($p: ID!) { sessions(patientId: $p) { totalCount edges { node { title } } } }', { p: patient(world) }) },
      { name: 'Patient.sessions across subgraphs', target: 'gateway', whose, request: (world) => gql('query ($p: ID!) { patient(id: $p) { sessions { totalCount } } }', { p: patient(world) }), nullMeansDenied: 'patient' },
      { name: 'searchMessages', target: 'operations', whose, request: (world) => gql('query ($p: ID!) { searchMessages(patientId: $p, text: "Message") { snippet } }', { p: patient(world) }) },
      { name: 'Session entity', target: 'operations', whose, request: (world) => gql('query ($id: ID!) { _entities(representations: [{ __typename: "Session", id: $id }]) { ... on Session { title feedback { rating } } } }', { id: session(world).id }) },
      { name: 'Message entity', target: 'operations', whose, request: (world) => gql('query ($id: ID!) { _entities(representations: [{ __typename: "Message", id: $id }]) { ... on Message { content } } }', { id: session(world).messageIds[0] }) },
    ] satisfies Probe[];
  }),
  'conversation.write': (['own', 'other'] as const).flatMap((whose) => [
    { name: 'startSession', target: 'gateway', whose, request: (world, n) => gql('mutation ($p: ID!, $t: String) { startSession(input: { patientId: $p, title: $t }) { id } }', { p: whose === 'own' ? world.patientA : world.patientB, t: `matrix ${n}` }) },
    { name: 'postMessage', target: 'operations', whose, request: (world, n) => gql('mutation ($s: ID!, $c: String!) { postMessage(input: { sessionId: $s, role: USER, content: $c }) { id } }', { s: (whose === 'own' ? world.sessionA : world.sessionB).id, c: `matrix ${n}` }) },
    { name: 'renameSession', target: 'gateway', whose, request: (world, n) => gql('mutation ($s: ID!, $t: String!) { renameSession(id: $s, title: $t) { id } }', { s: (whose === 'own' ? world.sessionA : world.sessionB).id, t: `Renamed ${n}` }) },
  ] satisfies Probe[]),
  'feedback.submit': (['own', 'other'] as const).map((whose) => ({
    name: 'submitThumbs',
    target: 'gateway',
    whose,
    // each role rates an answer of its own choosing (one rating per caller and answer)
    request: (world, n) => gql('mutation ($r: ID!) { submitThumbs(responseId: $r, up: true) { id } }', { r: `${(whose === 'own' ? world.sessionA : world.sessionB).id}-r${2 * (1 + (Number(n.split(':')[1]) % 5))}` }),
  })),
  'answer.annotate': [{ name: 'submitFeedback with layers', target: 'operations', whose: 'any', request: (world, n) => gql('mutation ($r: ID!) { submitFeedback(input: { responseId: $r, rating: 4, feedbackType: HELPFUL, layers: [SEMANTIC] }) { id } }', { r: `${world.sessionA.id}-r${2 * (1 + ((Number(n.split(':')[1]) + 2) % 5))}` }) }],
  'passages.read': [{ name: 'Message.supportingPassages', target: 'search', whose: 'any', request: () => gql('{ _entities(representations: [{ __typename: "Message", id: "m1", content: "asthma inhaler" }]) { ... on Message { supportingPassages(k: 1) { score } } } }') }],
  'graph.read': [
    { name: 'medicalEntity', target: 'gateway', whose: 'any', request: (world) => gql('query ($id: ID!) { medicalEntity(id: $id) { name relations { type } layerHistory { id } similarEntities { id } } }', { id: `${world.prefix}crohns` }) },
    { name: 'searchEntities', target: 'knowledge', whose: 'any', request: (world) => gql('query ($t: String!) { searchEntities(text: $t) { id } }', { t: world.prefix }) },
    { name: 'layerStats', target: 'knowledge', whose: 'any', request: () => gql('{ layerStats { layer entities } }') },
    { name: 'MedicalEntity entity', target: 'knowledge', whose: 'any', request: (world) => gql('query ($id: ID!) { _entities(representations: [{ __typename: "MedicalEntity", id: $id }]) { ... on MedicalEntity { name } } }', { id: `${world.prefix}crohns` }) },
    { name: 'MedicalEntity.similarEntities', target: 'search', whose: 'any', request: (world) => gql('query ($id: ID!) { _entities(representations: [{ __typename: "MedicalEntity", id: $id }]) { ... on MedicalEntity { similarEntities { id } } } }', { id: `${world.prefix}crohns` }) },
  ],
  'graph.write': [{ name: 'upsertMedicalEntity', target: 'gateway', whose: 'any', request: (world) => gql('mutation ($id: ID!) { upsertMedicalEntity(input: { id: $id, name: "Matrix entity", type: SYMPTOM, confidence: 0.3 }) { id } }', { id: `${world.prefix}matrix` }) }],
  // batchSize 0 is refused after the permission check: the scan itself never runs in this suite
  'graph.promoteEligible': [{ name: 'promoteEligibleEntities', target: 'knowledge', whose: 'any', request: () => gql('mutation { promoteEligibleEntities(batchSize: 0) }') }],
  'document.read': [
    { name: 'documents', target: 'gateway', whose: 'any', request: () => gql('{ documents(first: 1) { totalCount } }') },
    { name: 'Document entity with chunks', target: 'search', whose: 'any', request: () => gql('{ _entities(representations: [{ __typename: "Document", id: "matrix-doc" }]) { ... on Document { chunks { id } } } }') },
    { name: 'Document entity', target: 'operations', whose: 'any', request: () => gql('{ _entities(representations: [{ __typename: "Document", id: "matrix-doc" }]) { __typename } }') },
  ],
  // blank content is refused after the permission check: nothing is ingested
  'document.ingest': [{ name: 'ingestDocument', target: 'gateway', whose: 'any', request: () => gql('mutation { ingestDocument(input: { filename: "matrix.md", content: "   " }) { id } }') }],
  'search.read': [{ name: 'semanticSearch', target: 'gateway', whose: 'any', request: () => gql('{ semanticSearch(text: "asthma", k: 1) { score chunk { text } } }') }],
  'analytics.read': [
    { name: 'feedbackDailyStats', target: 'gateway', whose: 'any', request: () => gql('{ feedbackDailyStats(days: 7) { total } }') },
    { name: 'layerPerformance', target: 'operations', whose: 'any', request: () => gql('{ layerPerformance { layer } }') },
  ],
  'analytics.refresh': [{ name: 'refreshAnalytics', target: 'operations', whose: 'any', request: () => gql('mutation { refreshAnalytics }') }],
  'preferencePairs.read': [
    { name: 'preferencePairs', target: 'gateway', whose: 'any', request: () => gql('{ preferencePairs(first: 1) { prompt } }') },
    { name: 'the export', target: 'operations', whose: 'any', request: () => ({ path: '/export/preference-pairs?format=raw&minRatingGap=4' }) },
  ],
  'schema.read': (['knowledge', 'operations', 'search'] as const).map((target) => ({ name: '_service', target, whose: 'any', request: () => gql('{ _service { sdl } }') })),
};

type Verdict = 'allowed' | 'denied';

function expected(role: Role, action: Action, whose: Whose): Verdict {
  const grant = grantOf(role, action);
  if (grant === 'all') return 'allowed';
  if (grant === 'none') return 'denied';
  return whose === 'other' ? 'denied' : 'allowed';
}

function at(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), data);
}

async function ask(world: HostileWorld, probe: Probe, token: string, n: string): Promise<{ verdict: Verdict; detail: string }> {
  const request = probe.request(world, n);
  const base = new URL(world.urls[probe.target]);
  const response = request.path
    ? await fetch(new URL(request.path, base), { headers: { authorization: `Bearer ${token}` } })
    : await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: request.query, variables: request.variables }) });
  const text = await response.text();
  if (response.status === 401 || response.status === 403) return { verdict: 'denied', detail: `HTTP ${response.status}` };
  if (request.path) return { verdict: response.ok ? 'allowed' : 'denied', detail: `HTTP ${response.status}` };
  const body = JSON.parse(text) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  const codes = (body.errors ?? []).map((error) => error.extensions?.code);
  if (codes.includes('FORBIDDEN') || codes.includes('UNAUTHENTICATED')) return { verdict: 'denied', detail: codes.join(',') };
  if (probe.nullMeansDenied && at(body.data, probe.nullMeansDenied) === null) return { verdict: 'denied', detail: 'null' };
  if (codes.some((code) => code === 'INTERNAL_SERVER_ERROR')) throw new Error(`${probe.name}: ${text}`);
  return { verdict: 'allowed', detail: codes.join(',') || 'ok' };
}

describe('patient isolation matrix (generated from lib/policy)', () => {
  let world: HostileWorld;
  beforeAll(async () => {
    world = await startHostileWorld();
  }, 120_000);
  afterAll(async () => world?.stop());

  it('has a path for every action of the permission table (the migration controls come with the migration stages)', () => {
    expect(actions.filter((action) => !(action in probes))).toEqual(['migration.read', 'migration.change']);
  });

  const cases = Object.entries(probes).flatMap(([action, list]) =>
    list.flatMap((probe) => roles.map((role) => ({ action: action as Action, probe, role, label: `${role} ${action} ${probe.whose} ${probe.target} ${probe.name}` }))),
  );

  it.each(cases)('$label', async ({ action, probe, role }) => {
    const token = world.tokens[role];
    const want = expected(role, action, probe.whose);
    for (const attempt of [1, 2]) {
      const { verdict, detail } = await ask(world, probe, token, `${role}:${roles.indexOf(role)}:${attempt}`);
      expect(`${verdict} (${detail})`, `attempt ${attempt}`).toMatch(new RegExp(`^${want} `));
    }
  });
});

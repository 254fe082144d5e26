import { bearer, type HostileRequest } from './hostile-request.js';
import type { HostileWorld, Target } from './hostile-world.js';

/** Findings 3 and 7, and every write on another patient's data: the permission table at work. */
export function permissionRequests(target: Target, world: HostileWorld): HostileRequest[] {
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
export function routeRequests(target: Target, world: HostileWorld): HostileRequest[] {
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


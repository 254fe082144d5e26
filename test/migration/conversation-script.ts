import type { GraphQLResponse } from '../../lib/graphql-client.js';
import type { MigrationWorld } from './world.js';

/** What the migration tests write through the API: ids to query afterwards. */
export interface WrittenConversations {
  patients: string[];
  sessionIds: string[];
  messageIds: string[];
  responseIds: string[];
  feedbackIds: string[];
}

function data<T>(result: GraphQLResponse<T>, what: string): T {
  if (result.errors || !result.data) throw new Error(`${what}: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export async function startSession(world: MigrationWorld, token: string, patientId: string, title: string | null) {
  const result = await world.gql<{ startSession: { id: string } }>(`mutation($input: StartSessionInput!) { startSession(input: $input) { id } }`, { input: { patientId, title, device: 'web' } }, token);
  return data(result, 'startSession').startSession.id;
}

export async function postMessage(world: MigrationWorld, token: string, sessionId: string, role: 'USER' | 'ASSISTANT', content: string, extra: { responseId?: string; confidence?: number; mentions?: string[] } = {}) {
  const result = await world.gql<{ postMessage: { id: string } }>(`mutation($input: PostMessageInput!) { postMessage(input: $input) { id } }`, { input: { sessionId, role, content, ...extra } }, token);
  return data(result, 'postMessage').postMessage.id;
}

/**
 * A small but complete conversation history through the API: sessions of two patients (one
 * untitled, one renamed, one ended, one archived), questions and answers with response ids,
 * confidences and mentions, feedback and thumbs.
 */
export async function writeConversations(world: MigrationWorld, prefix: string): Promise<WrittenConversations> {
  const clinician = await world.token('clinician');
  const service = await world.token('service');
  const patients = [`${prefix}-patient-a`, `${prefix}-patient-b`];
  const written: WrittenConversations = { patients, sessionIds: [], messageIds: [], responseIds: [], feedbackIds: [] };
  for (const [index, patient] of patients.entries()) {
    for (let number = 0; number < 3; number += 1) {
      const id = await startSession(world, clinician, patient, number === 1 ? null : `Visit ${index}-${number}`);
      written.sessionIds.push(id);
      for (let turn = 0; turn < 3; turn += 1) {
        written.messageIds.push(await postMessage(world, clinician, id, 'USER', `Question ${turn} about fever and headache (${index}-${number})`));
        const responseId = `${prefix}-r-${index}-${number}-${turn}`;
        written.responseIds.push(responseId);
        written.messageIds.push(await postMessage(world, service, id, 'ASSISTANT', `Answer ${turn}: rest, fluids, ibuprofen.`, { responseId, confidence: 0.5 + turn / 10, mentions: [`${prefix}-entity-${turn}`] }));
      }
    }
  }
  const [first, second, third] = written.sessionIds;
  data(await world.gql(`mutation($id: ID!) { renameSession(id: $id, title: "Renamed") { id } }`, { id: first }, clinician), 'renameSession');
  data(await world.gql(`mutation($id: ID!) { endSession(id: $id) { id } }`, { id: second }, clinician), 'endSession');
  data(await world.gql(`mutation($id: ID!) { archiveSession(id: $id) { id } }`, { id: third }, clinician), 'archiveSession');
  for (const responseId of written.responseIds.slice(0, 4)) {
    const rated = await world.gql<{ submitFeedback: { id: string } }>(
      `mutation($input: FeedbackInput!) { submitFeedback(input: $input) { id } }`,
      { input: { responseId, rating: 2, feedbackType: 'INCORRECT', severity: 'HIGH', correction: 'Paracetamol, not ibuprofen.' } },
      clinician,
    );
    written.feedbackIds.push(data(rated, 'submitFeedback').submitFeedback.id);
  }
  const thumbs = await world.gql<{ submitThumbs: { id: string } }>(`mutation($responseId: ID!) { submitThumbs(responseId: $responseId, up: true) { id } }`, { responseId: written.responseIds[5] }, clinician);
  written.feedbackIds.push(data(thumbs, 'submitThumbs').submitThumbs.id);
  return written;
}

const sessionFields = `id title status device createdAt lastActivity endedAt messageCount patient { id }
  messages(first: 4) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id role content responseId confidence createdAt mentions { id } session { id } } } }
  feedback { id responseId rating feedbackType severity correction createdAt }`;

/** The contract's reads of sessions, messages and feedback over the written data, each with its answer. */
export async function readEverything(world: MigrationWorld, written: WrittenConversations, token: string): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = {};
  const ask = async (name: string, query: string, variables: Record<string, unknown>) => {
    answers[name] = await world.gql(query, variables, token);
  };
  for (const patient of written.patients) {
    await ask(`sessions:${patient}`, `query($p: ID!) { sessions(patientId: $p, first: 10) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${sessionFields} } } } }`, { p: patient });
    await ask(`ended:${patient}`, `query($p: ID!) { sessions(patientId: $p, status: ENDED) { totalCount edges { node { id endedAt } } } }`, { p: patient });
    const firstPage = (await world.gql<{ sessions: { pageInfo: { endCursor: string } } }>(`query($p: ID!) { sessions(patientId: $p, first: 1) { pageInfo { endCursor } } }`, { p: patient }, token)).data?.sessions.pageInfo.endCursor;
    await ask(`second-page:${patient}`, `query($p: ID!, $after: String) { sessions(patientId: $p, first: 1, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`, { p: patient, after: firstPage });
    const search = await world.gql<{ searchMessages: { message: { id: string } }[] }>(`query($p: ID!) { searchMessages(patientId: $p, text: "headache") { message { id } } }`, { p: patient }, token);
    // ranks and snippets are each store's own: which messages match is not
    answers[`search:${patient}`] = search.errors ?? search.data?.searchMessages.map((hit) => hit.message.id).sort();
  }
  for (const id of written.sessionIds) {
    await ask(`session:${id}`, `query($id: ID!) { session(id: $id) { ${sessionFields} } }`, { id });
    const cursor = (await world.gql<{ session: { messages: { pageInfo: { endCursor: string } } } }>(`query($id: ID!) { session(id: $id) { messages(first: 2) { pageInfo { endCursor } } } }`, { id }, token)).data?.session.messages.pageInfo.endCursor;
    await ask(`messages-after:${id}`, `query($id: ID!, $after: String) { session(id: $id) { messages(first: 2, after: $after) { pageInfo { hasNextPage } edges { node { id createdAt } } } } }`, { id, after: cursor });
  }
  await ask(
    'entities',
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Session { id title messageCount } ... on Message { id content createdAt } ... on Patient { id sessions(first: 2) { totalCount edges { node { id } } } } } }`,
    { r: [...written.sessionIds.map((id) => ({ __typename: 'Session', id })), ...written.messageIds.slice(0, 6).map((id) => ({ __typename: 'Message', id })), ...written.patients.map((id) => ({ __typename: 'Patient', id }))] },
  );
  return answers;
}

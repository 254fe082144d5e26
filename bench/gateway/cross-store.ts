import { generateSeedGraph } from '../../subgraphs/knowledge/seed/generate.js';
import type { Post } from './load.js';

/** The cross-store query: one session with its messages, their entities and passages, the patient's allergies. */
export const crossStoreQuery = `query CrossStore($id: ID!) { session(id: $id) { title patient { allergies { substance } }
  messages(first: 20) { edges { node { content
    mentions { name type layer relations(types: ["TREATS"]) { target { name } } }
    supportingPassages(k: 3) { score chunk { text document { title quality { compositeScore } } } } } } } } }`;

export type SubgraphUrls = Record<'knowledge' | 'operations' | 'search', string>;

interface Ref {
  __typename: string;
  id: string;
}
interface SessionPart {
  patient: Ref;
  messages: { edges: { node: Ref & { content: string; mentions: Ref[] } }[] };
}
interface Passages {
  supportingPassages: { chunk: { document: Ref } }[];
}

const entities = (selection: string) => `query($r:[_Any!]!){_entities(representations:$r){${selection}}}`;
const unique = (refs: Ref[]): Ref[] => [...new Map(refs.map((ref) => [ref.id, { __typename: ref.__typename, id: ref.id }])).values()];

async function postJson<T>(post: Post, url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  return (JSON.parse(await post(url, JSON.stringify({ query, variables }))) as { data: T }).data;
}

/** What the floor fetched: sizes of the answer, to show the benchmark runs on real data. */
export interface CrossStoreShape {
  messages: number;
  mentions: number;
  passages: number;
}

/**
 * The subgraph requests of the gateway's query plan for `crossStoreQuery`, with the same
 * dependencies: operations first; then in parallel the patient's allergies and the mentioned
 * entities (knowledge) and the passages (search), the latter followed by their documents (operations).
 */
export async function fetchCrossStoreDirect(post: Post, urls: SubgraphUrls, sessionId: string): Promise<CrossStoreShape> {
  const { session } = await postJson<{ session: SessionPart }>(
    post,
    urls.operations,
    'query($id:ID!){session(id:$id){title patient{__typename id} messages(first:20){edges{node{__typename id content mentions{__typename id}}}}}}',
    { id: sessionId },
  );
  const messages = session.messages.edges.map((edge) => edge.node);
  const mentions = unique(messages.flatMap((message) => message.mentions));
  const passagesThenDocuments = async (): Promise<number> => {
    const representations = messages.map((message) => ({ __typename: 'Message', id: message.id, content: message.content }));
    const { _entities: found } = await postJson<{ _entities: Passages[] }>(
      post,
      urls.search,
      entities('...on Message{supportingPassages(k:3){score chunk{text document{__typename id}}}}'),
      { r: representations },
    );
    const hits = found.flatMap((message) => message.supportingPassages);
    const documents = unique(hits.map((hit) => hit.chunk.document));
    if (documents.length > 0) await post(urls.operations, JSON.stringify({ query: entities('...on Document{title quality{compositeScore}}'), variables: { r: documents } }));
    return hits.length;
  };
  const [, , passages] = await Promise.all([
    post(urls.knowledge, JSON.stringify({ query: entities('...on Patient{allergies{substance}}'), variables: { r: [session.patient] } })),
    mentions.length > 0
      ? post(urls.knowledge, JSON.stringify({ query: entities('...on MedicalEntity{name type layer relations(types:["TREATS"]){target{name}}}'), variables: { r: mentions } }))
      : undefined,
    passagesThenDocuments(),
  ]);
  return { messages: messages.length, mentions: mentions.length, passages };
}

/**
 * A session `npm start` seeded (its demo patients are the first twelve of the seed graph): the
 * first whose messages mention entities and have supporting passages.
 */
export async function pickSeededSession(post: Post, urls: SubgraphUrls): Promise<{ id: string; shape: CrossStoreShape } | undefined> {
  for (const patient of generateSeedGraph(1).patients.slice(0, 12)) {
    const { sessions } = await postJson<{ sessions: { edges: { node: { id: string; messageCount: number } }[] } }>(
      post,
      urls.operations,
      'query($p:ID!){sessions(patientId:$p,first:20){edges{node{id messageCount}}}}',
      { p: patient.id },
    );
    for (const { node } of sessions.edges) {
      if (node.messageCount === 0) continue;
      const shape = await fetchCrossStoreDirect(post, urls, node.id);
      if (shape.mentions > 0 && shape.passages > 0) return { id: node.id, shape };
    }
  }
  return undefined;
}

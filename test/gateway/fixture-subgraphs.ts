import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createTokenVerifier, type Viewer } from '../../lib/auth.js';
import type { Config } from '../../lib/config.js';
import { forbidden, notFound } from '../../lib/errors.js';
import { serveGraphQL, type ServiceHandle } from '../../lib/http-server.js';
import type { SubgraphSdl } from '../../gateway/compose.js';

/**
 * Small real Federation v2 subgraphs for gateway behaviour (not store mocks): `sessions` owns
 * Session, `patients` owns Patient, `notes` adds Session.summary and can be slowed or stopped.
 */
interface FixtureContext {
  viewer: Viewer | undefined;
  headers: Record<string, string | undefined>;
}

const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

export const fixtureSdl = {
  sessions: `${link}
    enum CacheControlScope { PUBLIC PRIVATE }
    directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
    type Query { session(id: ID!): Session @cacheControl(maxAge: 60, scope: PRIVATE), echoHeaders: [String!]! }
    type Mutation { renameSession(id: ID!, title: String!): Session! }
    type Session @key(fields: "id") { id: ID!, title: String, patient: Patient! }
    type Patient @key(fields: "id", resolvable: false) { id: ID! }`,
  patients: `${link}
    type Patient @key(fields: "id") { id: ID!, allergies: [Allergy!]! }
    type Allergy { substance: String! }`,
  notes: `${link}
    type Session @key(fields: "id") { id: ID!, summary: String }`,
};

export type FixtureName = keyof typeof fixtureSdl;

/** Mutable fixture state: tests rename sessions and slow down `notes`. */
export function createFixtureState(idPrefix: string) {
  return {
    sessions: new Map([
      [`${idPrefix}s1`, { id: `${idPrefix}s1`, title: 'Asthma follow-up', patientId: `${idPrefix}pA` }],
      [`${idPrefix}s2`, { id: `${idPrefix}s2`, title: 'Migraine intake', patientId: `${idPrefix}pB` }],
    ]),
    allergies: new Map([
      [`${idPrefix}pA`, ['penicillin']],
      [`${idPrefix}pB`, ['latex', 'peanuts']],
    ]),
    notesDelayMs: 0,
  };
}
export type FixtureState = ReturnType<typeof createFixtureState>;

// Resolver maps type their context as unknown.
const viewerOf = (ctx: unknown) => (ctx as FixtureContext).viewer;

function readSession(state: FixtureState, id: string, viewer: Viewer | undefined) {
  const session = state.sessions.get(id);
  if (!session) throw notFound('Session', id);
  if (viewer?.role === 'patient' && viewer.patientId !== session.patientId) throw forbidden('Not your session');
  return session;
}

type Resolvers = Parameters<typeof buildSubgraphSchema>[0] extends infer M ? (M extends { resolvers?: infer R } ? R : never) : never;

function resolversFor(name: FixtureName, state: FixtureState): Resolvers {
  if (name === 'sessions') {
    return {
      Query: {
        session: (_: unknown, { id }: { id: string }, ctx: unknown) => readSession(state, id, viewerOf(ctx)),
        echoHeaders: (_: unknown, __: unknown, ctx: unknown) => {
          const { headers } = ctx as FixtureContext;
          return [headers.authorization ?? '', headers['x-request-id'] ?? ''];
        },
      },
      Mutation: {
        renameSession: (_: unknown, { id, title }: { id: string; title: string }, ctx: unknown) => {
          const session = readSession(state, id, viewerOf(ctx));
          session.title = title;
          return session;
        },
      },
      Session: {
        __resolveReference: (ref: { id: string }, ctx: unknown) => readSession(state, ref.id, viewerOf(ctx)),
        patient: (session: { patientId: string }) => ({ id: session.patientId }),
      },
    };
  }
  if (name === 'patients') {
    return { Patient: { allergies: (patient: { id: string }) => (state.allergies.get(patient.id) ?? []).map((substance) => ({ substance })) } };
  }
  return {
    Session: {
      summary: async (session: { id: string }) => {
        if (state.notesDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.notesDelayMs));
        return `summary of ${session.id}`;
      },
    },
  };
}

/** Starts one fixture subgraph (port 0 unless given, so a stopped one can come back on its port). */
export async function startFixtureSubgraph(config: Config, name: FixtureName, state: FixtureState, port = 0): Promise<ServiceHandle> {
  const verify = createTokenVerifier(config.auth);
  const apollo = new ApolloServer<FixtureContext>({
    schema: buildSubgraphSchema({ typeDefs: parse(fixtureSdl[name]), resolvers: resolversFor(name, state) }),
    // Every field cacheable for a minute unless a resolver narrows it, so the gateway sees hints.
    plugins: [ApolloServerPluginCacheControl({ defaultMaxAge: 60 })],
  });
  return serveGraphQL({
    name,
    apollo,
    port,
    context: async (req) => ({
      viewer: await verify(req.headers.authorization),
      headers: { authorization: req.headers.authorization, 'x-request-id': req.headers['x-request-id'] as string | undefined },
    }),
  });
}

export function fixtureSubgraphSdl(handles: Partial<Record<FixtureName, ServiceHandle>>): SubgraphSdl[] {
  return Object.entries(handles).map(([name, handle]) => ({ name, url: handle.url, sdl: fixtureSdl[name as FixtureName] }));
}

import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import { printSchema, type GraphQLSchema } from 'graphql';

export interface SupergraphIdentity {
  /** A short hash of the supergraph a request's schema was built from (part of every response cache key). */
  idOf(schema: GraphQLSchema): string;
  /** The API schema of the supergraph served now (undefined before the first load). */
  current(): GraphQLSchema | undefined;
}

/**
 * Names each supergraph the gateway loads by a hash of its SDL, keyed by the API schema built
 * from it: a request planned on the old supergraph during a reload still gets the old name.
 */
export function createSupergraphIdentity(gateway: ApolloGateway): SupergraphIdentity {
  const ids = new WeakMap<GraphQLSchema, string>();
  let latest: GraphQLSchema | undefined;
  const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    ids.set(apiSchema, hash(coreSupergraphSdl));
    latest = apiSchema;
  });
  return {
    current: () => latest,
    idOf(schema) {
      let id = ids.get(schema);
      if (!id) {
        // a schema object the announcement did not name (a server that wraps it): its printed API names it as well
        id = hash(printSchema(schema));
        ids.set(schema, id);
      }
      return id;
    },
  };
}

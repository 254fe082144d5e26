import { composeServices } from '@apollo/composition';
import { parse, type GraphQLSchema } from 'graphql';

export interface SubgraphSdl {
  name: string;
  /** The URL the gateway routes this subgraph's fetches to. */
  url: string;
  sdl: string;
}

export class CompositionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Composition failed:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

/** Composes Federation v2 subgraph SDLs: the supergraph SDL and the API schema clients see; throws CompositionError listing every problem. */
export function compose(subgraphs: readonly SubgraphSdl[]): { supergraphSdl: string; apiSchema: GraphQLSchema } {
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors) throw new CompositionError(result.errors.map((error) => error.message));
  return { supergraphSdl: result.supergraphSdl, apiSchema: result.schema.toAPISchema().toGraphQLJSSchema() };
}

/** The supergraph SDL of `compose`. */
export function composeSupergraph(subgraphs: readonly SubgraphSdl[]): string {
  return compose(subgraphs).supergraphSdl;
}

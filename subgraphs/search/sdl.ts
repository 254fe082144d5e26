import { readFile } from 'node:fs/promises';

/** The subgraph SDL composed into the supergraph (scripts/compose-supergraph.ts): schema.graphql as written. */
export function loadSearchSubgraphSdl(): Promise<string> {
  return readFile(new URL('./schema.graphql', import.meta.url), 'utf8');
}

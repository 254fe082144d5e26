import { knowledgeSdl } from './knowledge/schema.js';
import { operationsSdl } from './operations/schema.js';
import { searchSdl } from './search/schema.js';

/** The three subgraphs' SDL, as each serves it, by name: what the supergraph is composed from. */
export const subgraphSdl = { knowledge: knowledgeSdl, operations: operationsSdl, search: searchSdl } as const;

export type SubgraphName = keyof typeof subgraphSdl;
export const subgraphNames = Object.keys(subgraphSdl) as SubgraphName[];

import { readFileSync } from 'node:fs';
import { parse } from 'graphql';

/** The subgraph's SDL as written (composed into the supergraph as it is), read once. */
export const searchSdl = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');
export const searchTypeDefs = parse(searchSdl);

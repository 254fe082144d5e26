import { readFileSync } from 'node:fs';
import { parse } from 'graphql';

/** The subgraph's SDL as written (composed into the supergraph as it is), read once. */
export const knowledgeSdl = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');
export const knowledgeTypeDefs = parse(knowledgeSdl);

import { readFileSync } from 'node:fs';

/** The three subgraphs, by name. */
export const subgraphNames = ['knowledge', 'operations', 'search'] as const;
export type SubgraphName = (typeof subgraphNames)[number];

/** Each subgraph's SDL as written in its `schema.graphql`, read once: what it serves and what the supergraph is composed from. */
export const subgraphSdl = Object.fromEntries(
  subgraphNames.map((name) => [name, readFileSync(new URL(`./${name}/schema.graphql`, import.meta.url), 'utf8')]),
) as Record<SubgraphName, string>;

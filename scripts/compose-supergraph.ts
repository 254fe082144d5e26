import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../lib/config.js';
import { composeSupergraph, type SubgraphSdl } from '../gateway/compose.js';
import { loadKnowledgeSubgraphSdl } from '../subgraphs/knowledge/sdl.js';
import { loadOperationsSubgraphSdl } from '../subgraphs/operations/sdl.js';
import { loadSearchSubgraphSdl } from '../subgraphs/search/sdl.js';

/**
 * `npm run compose`: composes the three subgraphs' SDL (each from `load<Name>SubgraphSdl()` in
 * `subgraphs/<name>/sdl.ts`, so knowledge's generated @neo4j/graphql SDL is the one composed)
 * into the supergraph file. `--check` writes nothing and fails when the file differs (CI).
 */
const subgraphs = [
  { name: 'knowledge', loadSdl: loadKnowledgeSubgraphSdl },
  { name: 'operations', loadSdl: loadOperationsSubgraphSdl },
  { name: 'search', loadSdl: loadSearchSubgraphSdl },
] as const;

/** Composes the project's supergraph from the subgraphs' code; URLs are the configured local ports. */
export async function composeProjectSupergraph(config: Config): Promise<string> {
  const sdls: SubgraphSdl[] = [];
  for (const subgraph of subgraphs) {
    sdls.push({ name: subgraph.name, url: `http://127.0.0.1:${config.ports[subgraph.name]}/graphql`, sdl: await subgraph.loadSdl() });
  }
  return composeSupergraph(sdls);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false }, out: { type: 'string' } } });
  const config = loadConfig();
  const file = values.out ?? config.gateway.supergraphFile;
  const composed = await composeProjectSupergraph(config);
  if (!values.check) {
    await writeFile(file, composed);
    console.log(`wrote ${file}`);
    return;
  }
  const checkedIn = await readFile(file, 'utf8').catch(() => '');
  if (checkedIn !== composed) {
    console.error(`${file} differs from what the subgraphs compose: run npm run compose and commit it`);
    process.exitCode = 1;
    return;
  }
  console.log(`${file} is up to date`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

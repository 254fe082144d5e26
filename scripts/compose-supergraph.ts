import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../lib/config.js';
import { composeSupergraph, type SubgraphSdl } from '../gateway/compose.js';
import { subgraphNames, subgraphSdl } from '../subgraphs/sdl.js';

/**
 * `npm run compose`: composes the three subgraphs' SDL (`subgraphs/sdl.ts`) into the supergraph
 * file. `--check` writes nothing and fails when the file differs (CI).
 */

/** Composes the project's supergraph from the subgraphs' code; URLs are the configured local ports. */
export async function composeProjectSupergraph(config: Config): Promise<string> {
  const sdls: SubgraphSdl[] = subgraphNames.map((name) => ({ name, url: `http://127.0.0.1:${config.ports[name]}/graphql`, sdl: subgraphSdl[name] }));
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

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkContract } from '../gateway/contract-check.js';
import { loadConfig } from '../lib/config.js';
import { projectRoot } from '../stack/paths.js';
import { drizzleDrift, generateSchemaFiles, staleFiles } from './generated-files.js';

/**
 * `npm run check:generated` (part of `npm test`, no stores needed): the checked-in supergraph,
 * subgraph SDLs and Drizzle snapshots are what the code generates, and the supergraph's API keeps
 * every type, field, argument and operation of the client contract (schema/contract.graphql).
 */
// the checked-in supergraph routes to the default ports, whatever this machine's environment says
const { files, apiSchema } = generateSchemaFiles(loadConfig({}));
const problems = [
  ...staleFiles(files).map((path) => `${path} differs from what the code generates: run npm run compose and commit it`),
  ...drizzleDrift(),
  ...checkContract(readFileSync(join(projectRoot, 'schema', 'contract.graphql'), 'utf8'), apiSchema).map((problem) => `client contract: ${problem}`),
];
if (problems.length > 0) {
  console.error(`check:generated found ${problems.length} problem(s):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  process.exit(1);
}
console.log(`check:generated: ${files.size} schema files, drizzle/meta and the client contract are current`);

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { Config } from '../lib/config.js';
import drizzleConfig from '../drizzle.config.js';
import { compose } from '../gateway/compose.js';
import { projectRoot } from '../stack/paths.js';
import { subgraphNames, subgraphSdl } from '../subgraphs/sdl.js';

/**
 * The files of the repository that code generates, and how to tell whether they are current:
 * the supergraph and each subgraph's SDL (schema/, from the subgraphs' code) and the Drizzle
 * snapshots (drizzle/meta, from the schema module). No store is needed for any of it.
 */

/** Path (from the project root) to content, as the code generates them now; the supergraph routes to `config`'s local ports. */
export function generateSchemaFiles(config: Pick<Config, 'ports'>): { files: Map<string, string>; apiSchema: GraphQLSchema } {
  const { supergraphSdl, apiSchema } = compose(subgraphNames.map((name) => ({ name, url: `http://127.0.0.1:${config.ports[name]}/graphql`, sdl: subgraphSdl[name] })));
  const files = new Map([['schema/supergraph.graphql', supergraphSdl]]);
  // as each subgraph answers `_service { sdl }`
  for (const name of subgraphNames) files.set(`schema/${name}.graphql`, `${printSubgraphSchema(buildSubgraphSchema(parse(subgraphSdl[name])))}\n`);
  return { files, apiSchema };
}

export function writeGeneratedFiles(files: Map<string, string>): void {
  for (const [path, content] of files) writeFileSync(join(projectRoot, path), content);
}

/** The generated files that differ from what is checked in. */
export function staleFiles(files: Map<string, string>): string[] {
  const checkedIn = (path: string) => (existsSync(join(projectRoot, path)) ? readFileSync(join(projectRoot, path), 'utf8') : undefined);
  return [...files].filter(([path, content]) => checkedIn(path) !== content).map(([path]) => path);
}

/**
 * Whether drizzle/ describes the schema module: drizzle-kit generates into a copy of it, and any
 * new migration means someone changed the schema without `npm run db:generate`.
 */
export function drizzleDrift(): string[] {
  const copy = mkdtempSync(join(tmpdir(), 'drizzle-check-'));
  try {
    cpSync(join(projectRoot, 'drizzle'), join(copy, 'drizzle'), { recursive: true });
    const schema = (drizzleConfig.schema as string[]).map((path) => join(projectRoot, path));
    writeFileSync(join(copy, 'drizzle.config.ts'), `export default ${JSON.stringify({ dialect: 'postgresql', schema, out: './drizzle', strict: true })};\n`);
    execFileSync(join(projectRoot, 'node_modules', '.bin', 'drizzle-kit'), ['generate', '--config', 'drizzle.config.ts'], { cwd: copy, stdio: 'pipe' });
    const before = new Set(readdirSync(join(projectRoot, 'drizzle')));
    return readdirSync(join(copy, 'drizzle')).filter((file) => !before.has(file)).map((file) => `drizzle/${file} would be generated: run npm run db:generate and commit it`);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { loadConfig } from '../../lib/config.js';
import { serveGraphQL } from '../../lib/http-server.js';
import { composeSupergraph } from '../../gateway/compose.js';
import { startGateway } from '../../gateway/server.js';
import { createFixtureState, fixtureSubgraphSdl, startFixtureSubgraph } from '../../test/gateway/fixture-subgraphs.js';

/**
 * One benchmark process: `serve.ts subgraphs <supergraph-out>` starts the fixture subgraphs and
 * writes their supergraph; `serve.ts ours|ours-nocache|apollo|hive <supergraph>` starts that gateway.
 * Each prints one JSON line ({ url } or { urls }) once listening, so the runner can connect.
 */
const [role, file] = process.argv.slice(2);
if (!role || !file) throw new Error('usage: serve.ts <role> <supergraph file>');
const config = loadConfig({ LOG_LEVEL: 'fatal', ...process.env });

async function startRole(): Promise<Record<string, unknown>> {
  if (role === 'subgraphs') {
    const state = createFixtureState('bench-');
    const handles = {
      sessions: await startFixtureSubgraph(config, 'sessions', state),
      patients: await startFixtureSubgraph(config, 'patients', state),
      notes: await startFixtureSubgraph(config, 'notes', state),
    };
    await writeFile(file as string, composeSupergraph(fixtureSubgraphSdl(handles)));
    return { urls: Object.fromEntries(Object.entries(handles).map(([name, handle]) => [name, handle.url])) };
  }
  if (role === 'ours' || role === 'ours-nocache') {
    const settings = { responseCache: role === 'ours', rateLimit: { max: 1_000_000_000, windowSeconds: 60 } };
    const handle = await startGateway(config, { port: 0, supergraph: { file: file as string }, settings, redisPrefix: `gw-bench:${process.pid}:` });
    return { url: handle.url };
  }
  if (role === 'apollo') {
    // @apollo/gateway as its docs start it: default data sources, no options.
    const { readFile } = await import('node:fs/promises');
    const apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: await readFile(file as string, 'utf8') }) });
    const handle = await serveGraphQL({ name: 'apollo-default', apollo, port: 0, context: async () => ({}) });
    return { url: handle.url };
  }
  if (role === 'hive') {
    const hive = createGatewayRuntime({ supergraph: file as string, logging: false });
    const server = createServer(hive);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
  }
  throw new Error(`unknown role ${role}`);
}

console.log(JSON.stringify(await startRole()));

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { loadConfig } from '../../lib/config.js';
import { serveGraphQL } from '../../lib/http-server.js';
import { startGateway } from '../../gateway/server.js';
import { startKnowledge } from '../../subgraphs/knowledge/server.js';
import { startOperations } from '../../subgraphs/operations/server.js';
import { startSearch } from '../../subgraphs/search/server.js';

/**
 * One benchmark process: `serve.ts subgraphs <unused>` starts the three real subgraphs (port 0,
 * over the running stores and the data `npm start` seeded), `serve.ts knowledge|operations|search
 * <unused>` one of them (bench-processes composes their supergraph);
 * `serve.ts ours|ours-nocache|apollo|hive <supergraph>` starts that gateway.
 * Each prints one JSON line ({ url } or { urls }) once listening, so the runner can connect.
 */
const [role, file] = process.argv.slice(2);
if (!role || !file) throw new Error('usage: serve.ts <role> <supergraph file>');
// The benchmark drives thousands of requests a second with a few tokens: no rate limit may interfere.
const config = loadConfig({ LOG_LEVEL: 'fatal', GATEWAY_RATE_LIMIT: '1000000000', SUBGRAPH_RATE_LIMIT: '1000000000', ...process.env });

async function startRole(): Promise<Record<string, unknown>> {
  // The subgraphs run their consumers, as npm start does: knowledge applies the feedback the
  // realistic bench submits (each a write to the graph, after which its remembered reads are read
  // again), and computing a posted message's passages is part of what the post costs (search
  // reads the message from operations at SEARCH_OPERATIONS_URL).
  const starters = {
    knowledge: () => startKnowledge(config, 0),
    operations: () => startOperations(config, 0),
    search: (operationsUrl = config.search.operationsUrl) => startSearch({ ...config, search: { ...config.search, operationsUrl } }, 0),
  };
  if (role === 'subgraphs') {
    const knowledge = await starters.knowledge();
    const operations = await starters.operations();
    const handles = { knowledge, operations, search: await starters.search(operations.url) };
    return { urls: Object.fromEntries(Object.entries(handles).map(([name, handle]) => [name, handle.url])) };
  }
  if (role !== undefined && role in starters) return { url: (await starters[role as keyof typeof starters]()).url };
  if (role === 'ours' || role === 'ours-nocache') {
    const handle = await startGateway(config, {
      port: 0,
      supergraph: { file: file as string },
      settings: { responseCache: role === 'ours' },
      redisPrefix: `gw-bench:${process.pid}:`,
    });
    return { url: handle.url };
  }
  // The two others as their docs start them, plus the one thing the subgraphs need: the caller's
  // Authorization header passed on (neither gateway forwards client headers by default).
  if (role === 'apollo') {
    const apollo = new ApolloServer<{ authorization: string }>({
      gateway: new ApolloGateway({
        supergraphSdl: await readFile(file as string, 'utf8'),
        buildService: ({ url }) =>
          new RemoteGraphQLDataSource<{ authorization: string }>({
            url,
            willSendRequest({ request, context }) {
              request.http?.headers.set('authorization', context.authorization);
            },
          }),
      }),
    });
    const handle = await serveGraphQL({ name: 'apollo-default', apollo, port: 0, context: async (req) => ({ authorization: req.headers.authorization ?? '' }) });
    return { url: handle.url };
  }
  if (role === 'hive') {
    const hive = createGatewayRuntime({
      supergraph: file as string,
      logging: false,
      propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }) },
    });
    const server = createServer(hive);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
  }
  throw new Error(`unknown role ${role}`);
}

// with --expose-gc, a benchmark reading this process' memory asks for a full collection first
const collect = (globalThis as { gc?: () => void }).gc;
if (collect) process.on('SIGUSR2', () => collect());
console.log(JSON.stringify(await startRole()));

import { parseArgs } from 'node:util';
import { runService } from '../lib/run-service.js';
import { startGateway } from './server.js';
import type { SupergraphSource } from './supergraph-source.js';

/**
 * `npm run start:gateway [-- --supergraph PATH | --compose]`: serves the supergraph file (default
 * GATEWAY_SUPERGRAPH), or with `--compose` composes from the running subgraphs (development).
 */
const { values } = parseArgs({ options: { supergraph: { type: 'string' }, compose: { type: 'boolean', default: false } } });
await runService('gateway', (config) => {
  const supergraph: SupergraphSource = values.compose
    ? { subgraphs: (['knowledge', 'operations', 'search'] as const).map((name) => ({ name, url: `http://127.0.0.1:${config.ports[name]}/graphql` })) }
    : { file: values.supergraph ?? config.gateway.supergraphFile };
  return startGateway(config, { supergraph });
});

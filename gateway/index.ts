import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { stopOnSignals } from '../lib/shutdown.js';
import { startGateway } from './server.js';
import type { SupergraphSource } from './supergraph-source.js';

/**
 * `npm run start:gateway [-- --supergraph PATH | --compose]`: serves the supergraph file (default
 * GATEWAY_SUPERGRAPH), or with `--compose` composes from the running subgraphs (development).
 */
const { values } = parseArgs({ options: { supergraph: { type: 'string' }, compose: { type: 'boolean', default: false } } });
const config = loadConfig();
const logger = createLogger(config, 'gateway');
const supergraph: SupergraphSource = values.compose
  ? { subgraphs: (['knowledge', 'operations', 'search'] as const).map((name) => ({ name, url: `http://127.0.0.1:${config.ports[name]}/graphql` })) }
  : { file: values.supergraph ?? config.gateway.supergraphFile };
const gateway = await startGateway(config, { supergraph });
logger.info({ url: gateway.url, playground: gateway.url.replace(/\/graphql$/, '/playground') }, 'gateway ready');

stopOnSignals(() => gateway.stop(), (message) => logger.info(message));

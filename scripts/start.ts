import { parseArgs } from 'node:util';
import { signDevToken } from '../lib/auth.js';
import { ConfigError, loadConfig } from '../lib/config.js';
import type { ServiceHandle } from '../lib/http-server.js';
import { stopDeadlineMs, stopOnSignals } from '../lib/shutdown.js';
import { startGateway } from '../gateway/server.js';
import { stackDown, stackUp } from '../stack/stack.js';
import { StackError } from '../stack/store.js';
import { startKnowledge } from '../subgraphs/knowledge/server.js';
import { migrateDatabase } from '../subgraphs/operations/store/migrate.js';
import { startOperations } from '../subgraphs/operations/server.js';
import { startSearch } from '../subgraphs/search/server.js';
import { seedDemoData } from './demo-data.js';

/**
 * `npm start [-- --no-demo-data]`: the whole system with demo data. Brings the stores up (reusing running ones),
 * migrates, starts the three subgraphs and the gateway in this process, seeds what is missing
 * (a second start finds everything and seeds nothing), prints the playground URL and a
 * development token, and on Ctrl-C stops the services and the stores this run started.
 */
const step = (message: string) => console.log(`[start] ${message}`);
const { values: flags } = parseArgs({ options: { 'no-demo-data': { type: 'boolean', default: false } } });
const withDemoData = !flags['no-demo-data'];

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  if (config.nodeEnv === 'production') {
    console.error('[start] npm start is the development main job (it signs demo tokens and seeds demo data); in production run each service: npm run start:gateway, start:knowledge, start:operations, start:search');
    process.exit(2);
  }
  step('bringing the stores up (the first start builds Neo4j and the Qdrant stand-in: a minute or two)...');
  const stores = await stackUp(config);
  for (const store of stores) step(`  ${store.name.padEnd(9)} ${store.state.padEnd(8)} ${store.url}`);
  const startedStores = stores.filter((store) => store.state === 'started').map((store) => store.name);

  await migrateDatabase(config);
  step('database migrated');

  const services: ServiceHandle[] = [];
  stopOnSignals(async () => {
    step('stopping the gateway and the subgraphs...');
    // the gateway first (its requests need the subgraphs), then the subgraphs together
    const [gateway, ...subgraphs] = [...services].reverse();
    await gateway?.stop().catch((error: unknown) => console.error(error));
    await Promise.all(subgraphs.map((service) => service.stop().catch((error: unknown) => console.error(error))));
    if (startedStores.length > 0) {
      step(`stopping the stores this run started: ${startedStores.join(', ')}`);
      await stackDown(config, startedStores);
    }
  }, { log: step, deadlineMs: stopDeadlineMs(config.shutdown.graceMs) + 60_000 });

  const knowledge = await startKnowledge(config);
  services.push(knowledge);
  const operations = await startOperations(config);
  services.push(operations);
  const search = await startSearch(config);
  services.push(search);
  const gateway = await startGateway(config, { settings: { subgraphUrls: { knowledge: knowledge.url, operations: operations.url, search: search.url } } });
  services.push(gateway);
  step(`subgraphs and gateway up (${services.map((service) => `${service.name} :${service.port}`).join(', ')})`);

  const token = await signDevToken(config.auth, { sub: 'dev-clinician', role: 'clinician' });
  const serviceToken = await signDevToken(config.auth, { sub: 'demo-seed', role: 'service' }, '1h');
  if (withDemoData) await seedDemoData(config, gateway.url, serviceToken, step);
  else step('demo data not seeded (--no-demo-data)');

  const playground = gateway.url.replace(/\/graphql$/, '/playground');
  console.log(`
SynapseFlow Federation is up in ${((Date.now() - started) / 1000).toFixed(1)} s.

  Playground: ${playground}
  GraphQL:    ${gateway.url}
  Token (role clinician, 12 h; paste it in the playground's header field):
    Authorization: Bearer ${token}

Other roles: npm run token -- --role analyst|patient|service|admin [--patient patient:demo]
Ctrl-C stops everything this run started.
`);
}

main().catch(async (error: unknown) => {
  if (error instanceof StackError || error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});

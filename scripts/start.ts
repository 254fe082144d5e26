import { parseArgs } from 'node:util';
import { signDevToken } from '../lib/auth.js';
import { ConfigError, loadConfig } from '../lib/config.js';
import { stopDeadlineMs, stopOnSignals } from '../lib/shutdown.js';
import { stackDown, stackUp } from '../stack/stack.js';
import { StackError } from '../stack/store.js';
import { migrateDatabase } from '../subgraphs/operations/store/migrate.js';
import { seedDemoData } from './demo-data.js';
import { startServiceProcess, type ServiceProcess } from './service-process.js';

/**
 * `npm start [-- --no-demo-data]`: the whole system with demo data. Brings the stores up (reusing running ones),
 * migrates, starts the three subgraphs and the gateway, each in a process of its own (as compose
 * runs them; one exiting on its own stops everything), seeds what is missing
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

  const services: ServiceProcess[] = [];
  const stopDeadline = stopDeadlineMs(config.shutdown.graceMs) + 5000;
  const stopAll = async () => {
    // the gateway first (its requests need the subgraphs), then the subgraphs together
    const [gateway, ...subgraphs] = [...services].reverse();
    await gateway?.stop(stopDeadline);
    await Promise.all(subgraphs.map((service) => service.stop(stopDeadline)));
    if (startedStores.length > 0) {
      step(`stopping the stores this run started: ${startedStores.join(', ')}`);
      await stackDown(config, startedStores);
    }
  };
  stopOnSignals(async () => {
    step('stopping the gateway and the subgraphs...');
    await stopAll();
  }, { log: step, deadlineMs: 2 * stopDeadline + 60_000 });
  const onExit = (name: string, code: number | null, signal: NodeJS.Signals | null) => {
    console.error(`[start] ${name} exited on its own (code ${code}, signal ${signal}): stopping everything`);
    void stopAll().finally(() => process.exit(1));
  };

  // one process per service, as compose runs them: each subgraph gets a core of its own to use
  try {
    const subgraphs = await Promise.allSettled((['knowledge', 'operations', 'search'] as const).map((name) => startServiceProcess(name, `subgraphs/${name}/index.ts`, config.ports[name], { onExit })));
    for (const result of subgraphs) if (result.status === 'fulfilled') services.push(result.value);
    for (const result of subgraphs) if (result.status === 'rejected') throw result.reason;
    services.push(await startServiceProcess('gateway', 'gateway/index.ts', config.ports.gateway, { args: ['--compose'], onExit }));
  } catch (error) {
    await stopAll();
    throw error;
  }
  const gateway = services.at(-1) as ServiceProcess;
  step(`subgraphs and gateway up, a process each (${services.map((service) => `${service.name} :${service.port}`).join(', ')})`);

  const token = await signDevToken(config.auth, { sub: 'dev-clinician', role: 'clinician' });
  const serviceToken = await signDevToken(config.auth, { sub: 'demo-seed', role: 'service' }, '1h');
  if (withDemoData) {
    try {
      await seedDemoData(config, gateway.url, serviceToken, step);
    } catch (error) {
      step('seeding the demo data failed: stopping everything');
      await stopAll();
      throw error;
    }
  } else step('demo data not seeded (--no-demo-data)');

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

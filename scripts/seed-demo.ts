import { parseArgs } from 'node:util';
import { signDevToken } from '../lib/auth.js';
import { ConfigError, loadConfig } from '../lib/config.js';
import { seedDemoData } from './demo-data.js';

/**
 * `npm run seed:demo [-- --gateway URL]`: the demo data that is missing, through a running gateway
 * (default this machine's, GATEWAY_PORT). Compose's `demo` profile runs it once the gateway is
 * healthy. It acts as a service caller: SEED_SERVICE_TOKEN when given (a deployment that signs its
 * tokens elsewhere), else a one-hour token signed with JWT_SECRET.
 */
const log = (message: string) => console.log(`[seed:demo] ${message}`);

/** Bad usage or configuration: one line, exit code 2. */
class UsageError extends Error {}

async function main(): Promise<void> {
  const config = loadConfig();
  const { values } = parseArgs({ options: { gateway: { type: 'string', default: `http://127.0.0.1:${config.ports.gateway}/graphql` } } });
  const url = values.gateway;
  if (!URL.canParse(url)) throw new UsageError(`--gateway must be a URL, got ${url}`);
  const given = config.seedServiceToken;
  if (!given && !config.auth.jwtSecret) throw new UsageError('a service token is needed: set SEED_SERVICE_TOKEN, or JWT_SECRET when the gateway accepts tokens signed with it');
  const token = given ?? (await signDevToken(config.auth, { sub: 'demo-seed', role: 'service' }, '1h'));
  const started = Date.now();
  log(`seeding what is missing through ${url}`);
  await seedDemoData(config, url, token, log);
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) {
    console.error(`[seed:demo] ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});

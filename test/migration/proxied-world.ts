import { loadConfig } from '../../lib/config.js';
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy.js';
import { startMigrationWorld, type MigrationWorld } from './world.js';

/** A migration world whose services reach PostgreSQL and the legacy store through proxies a test can take down. */
export interface ProxiedWorld {
  world: MigrationWorld;
  postgres: DelayProxy;
  legacy: DelayProxy;
  stop(): Promise<void>;
}

export async function startProxiedWorld(label: string, env: Record<string, string>): Promise<ProxiedWorld> {
  const base = loadConfig();
  const pgUrl = new URL(base.postgres.url);
  const boltUrl = new URL(base.migration.legacy.uri);
  const postgres = await startDelayProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
  const legacy = await startDelayProxy({ host: boltUrl.hostname, port: Number(boltUrl.port || 7687) });
  const world = await startMigrationWorld(label, {
    env: { LEGACY_NEO4J_URI: `bolt://127.0.0.1:${legacy.port}`, ...env },
    envFor: (scratch) => {
      const url = new URL(scratch.url);
      url.port = String(postgres.port);
      return { DATABASE_URL: url.toString() };
    },
  });
  return {
    world,
    postgres,
    legacy,
    stop: async () => {
      await world.stop();
      await postgres.close();
      await legacy.close();
    },
  };
}

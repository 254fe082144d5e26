import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DelayProxy } from '../support/delay-proxy.js';
import { discrepancies, noDiscrepancies } from './both-stores.js';
import { waitForRelay } from './relay-wait.js';
import { emptyLog, writeLoad, type WriteLog } from './write-load.js';
import { startProxiedWorld, type ProxiedWorld } from './proxied-world.js';
import type { MigrationWorld } from './world.js';

/**
 * Dual-write never loses a write: 1,000 writes with PostgreSQL down for 10 s while the legacy
 * store decides (dual_write), then 1,000 with the legacy store down for 10 s while PostgreSQL
 * decides (rampdown). Each store is behind a proxy the test takes down, as if it had stopped.
 */
describe('dual-write: a store down for 10 s loses nothing and duplicates nothing', () => {
  let world: MigrationWorld;
  let proxied: ProxiedWorld | undefined;
  let postgres: DelayProxy;
  let legacy: DelayProxy;
  const outageMs = 10_000;

  beforeAll(async () => {
    proxied = await startProxiedWorld('dualwrite', { MIGRATION_RELAY_INTERVAL_MS: '250' });
    ({ world, postgres, legacy } = proxied);
    await world.startReplica();
  }, 120_000);
  afterAll(async () => {
    await proxied?.stop();
  });

  /** Takes `proxy` down at the 200th write and up again 10 s later; resolves once it is up. */
  function outageDuring(proxy: DelayProxy) {
    let restored: Promise<void> = Promise.resolve();
    return {
      onWrite: (n: number) => {
        if (n !== 200) return;
        proxy.setDown(true);
        restored = new Promise((resolve) => setTimeout(() => resolve(proxy.setDown(false)), outageMs));
      },
      restored: () => restored,
    };
  }

  it('PostgreSQL down during dual_write (legacy decides): every write lands in both stores once', async () => {
    await world.setStage('sessions', 'dual_write');
    await world.setStage('feedback', 'dual_write');
    const log: WriteLog = emptyLog();
    const outage = outageDuring(postgres);
    await writeLoad(world, `pg-${world.run}`, { count: Number(process.env.DUAL_WRITE_COUNT ?? 1000), perSecond: 60, workers: 4, log, onWrite: outage.onWrite });
    await outage.restored();
    expect(log.failures).toEqual([]);
    expect(log.messages.length + log.sessions.length + log.feedback.length).toBe(Number(process.env.DUAL_WRITE_COUNT ?? 1000));
    await waitForRelay(world, 90_000);
    expect(await discrepancies(world, log)).toEqual(noDiscrepancies);
  }, 180_000);

  it('the legacy store down during rampdown (PostgreSQL decides): every write lands in both stores once', async () => {
    for (const stage of ['shadow', 'live', 'rampdown'] as const) {
      for (const domain of ['sessions', 'feedback'] as const) await world.setStage(domain, stage, stage === 'live' ? { rolloutPercent: 100, force: true } : {});
    }
    const log: WriteLog = emptyLog();
    const outage = outageDuring(legacy);
    await writeLoad(world, `lg-${world.run}`, { count: Number(process.env.DUAL_WRITE_COUNT ?? 1000), perSecond: 60, workers: 4, log, onWrite: outage.onWrite });
    await outage.restored();
    expect(log.failures).toEqual([]);
    await waitForRelay(world, 90_000);
    expect(await discrepancies(world, log)).toEqual(noDiscrepancies);
  }, 180_000);
});

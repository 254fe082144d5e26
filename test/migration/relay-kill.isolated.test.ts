import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DelayProxy } from '../support/delay-proxy.js';
import { freePort } from '../support/free-port.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { discrepancies, noDiscrepancies } from './both-stores.js';
import { waitForRelay } from './relay-wait.js';
import { emptyLog, writeLoad, type WriteLog } from './write-load.js';
import { startProxiedWorld, type ProxiedWorld } from './proxied-world.js';
import type { MigrationWorld } from './world.js';

/**
 * The relay killed (SIGKILL) while it applies a backlog, then started again: every change is
 * applied once. Changes pile up while the other store is down; the process is killed once the
 * relay has applied some of them and not all.
 */
describe('dual-write relay killed mid-batch and restarted', () => {
  let world: MigrationWorld;
  let proxied: ProxiedWorld | undefined;
  let postgres: DelayProxy;
  let legacy: DelayProxy;
  const processes: ServiceProcess[] = [];

  async function startProcess(): Promise<ServiceProcess> {
    const port = await freePort();
    const service = startServiceProcess('subgraphs/operations/index.ts', { ...world.env, OPERATIONS_PORT: String(port), LOG_LEVEL: 'warn' });
    processes.push(service);
    const url = `http://127.0.0.1:${port}`;
    for (let attempt = 0; attempt < 300; attempt += 1) {
      if (await fetch(`${url}/healthz`).then((response) => response.ok, () => false)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    world.attach(`${url}/graphql`);
    return service;
  }

  /** Counts applied changes until some but not all are, then kills the process; returns how many were applied by then. */
  async function killMidway(service: ServiceProcess, applied: () => Promise<number>, total: number): Promise<number> {
    for (let attempt = 0; attempt < 3000; attempt += 1) {
      const done = await applied();
      if (done > 0) {
        service.signal('SIGKILL');
        await service.exited;
        return done;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`the relay applied none of ${total} changes`);
  }

  beforeAll(async () => {
    proxied = await startProxiedWorld('relaykill', { MIGRATION_RELAY_INTERVAL_MS: '200' });
    ({ world, postgres, legacy } = proxied);
  }, 120_000);
  afterAll(async () => {
    for (const service of processes) service.signal('SIGKILL');
    await proxied?.stop();
  });

  it('legacy changes for PostgreSQL: applied once each after the kill', async () => {
    const first = await startProcess();
    await world.setStage('sessions', 'dual_write');
    await world.setStage('feedback', 'dual_write');
    const log: WriteLog = emptyLog();
    postgres.setDown(true);
    await writeLoad(world, `k1-${world.run}`, { count: 300, perSecond: 200, workers: 4, log });
    expect(log.failures).toEqual([]);
    const { records } = await world.legacy.executeQuery('MATCH (c:MigrationChange) RETURN count(c) AS pending');
    const pending = records[0]?.get('pending').toNumber() as number;
    expect(pending).toBe(300);
    postgres.setDown(false);
    const appliedAtKill = await killMidway(first, async () => Number((await world.sql.query<{ n: string }>('SELECT count(*) AS n FROM migration_applied_changes')).rows[0]?.n), pending);
    expect(appliedAtKill).toBeLessThan(pending);
    await startProcess();
    await waitForRelay(world, 60_000);
    expect(await discrepancies(world, log)).toEqual(noDiscrepancies);
  }, 180_000);

  it('PostgreSQL changes for the legacy store: applied once each after the kill', async () => {
    for (const stage of ['shadow', 'live', 'rampdown'] as const) {
      for (const domain of ['sessions', 'feedback'] as const) await world.setStage(domain, stage, stage === 'live' ? { rolloutPercent: 100, force: true } : {});
    }
    const log: WriteLog = emptyLog();
    legacy.setDown(true);
    await writeLoad(world, `k2-${world.run}`, { count: 300, perSecond: 200, workers: 4, log });
    expect(log.failures).toEqual([]);
    const current = processes.at(-1) as ServiceProcess;
    legacy.setDown(false);
    const appliedAtKill = await killMidway(current, async () => Number((await world.sql.query<{ n: string }>('SELECT count(*) AS n FROM migration_changes WHERE applied_at IS NOT NULL')).rows[0]?.n), 300);
    expect(appliedAtKill).toBeLessThan(300);
    await startProcess();
    await waitForRelay(world, 60_000);
    expect(await discrepancies(world, log)).toEqual(noDiscrepancies);
  }, 180_000);
});

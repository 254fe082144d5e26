import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceHandle } from '../../lib/http-server.js';
import { stageIndex, type MigrationStage } from '../../migration/stages/stage-rules.js';
import { discrepancies, noDiscrepancies } from './both-stores.js';
import { waitForRelay } from './relay-wait.js';
import { emptyLog, writeLoad } from './write-load.js';
import { startMigrationWorld, type MigrationWorld } from './world.js';

/** Back and forth through every stage that writes to both stores, twice. */
const flips: { stage: MigrationStage; rolloutPercent?: number }[] = [
  { stage: 'shadow' },
  { stage: 'live', rolloutPercent: 50 },
  { stage: 'rampdown' },
  { stage: 'live', rolloutPercent: 10 },
  { stage: 'shadow' },
  { stage: 'dual_write' },
  { stage: 'shadow' },
  { stage: 'live', rolloutPercent: 100 },
  { stage: 'rampdown' },
  { stage: 'shadow' },
  { stage: 'dual_write' },
];

/** The stage a replica routes by, from its /metrics. */
async function routedStage(replica: ServiceHandle, domain: string): Promise<string | undefined> {
  const text = await (await fetch(new URL('/metrics', replica.url))).text();
  return new RegExp(`^migration_stage\\{domain="${domain}",stage="([a-z_]+)"\\} 1$`, 'm').exec(text)?.[1];
}

describe('migration stages changed back and forth under reads and writes', () => {
  let world: MigrationWorld;

  beforeAll(async () => {
    world = await startMigrationWorld('flips');
    await world.startReplica();
    await world.startReplica();
    await world.setStage('sessions', 'dual_write');
    await world.setStage('feedback', 'dual_write');
  }, 120_000);
  afterAll(() => world?.stop());

  it('no request fails, no write is lost, every replica follows within a second', async () => {
    const [first, second] = world.replicas as [ServiceHandle, ServiceHandle];
    const log = emptyLog();
    let writing = true;
    const load = writeLoad(world, `fl-${world.run}`, { count: 1200, perSecond: 60, workers: 4, log, via: (n) => world.via(n % 2 === 0 ? first : second) }).finally(() => {
      writing = false;
    });
    const readFailures: string[] = [];
    const reads = (async () => {
      const clinician = await world.token('clinician');
      for (let n = 0; writing; n += 1) {
        const result = await world.via(n % 2 === 0 ? first : second).gql(`query($p: ID!) { sessions(patientId: $p, first: 5) { totalCount edges { node { id messageCount messages(first: 3) { edges { node { id } } } feedback { id } } } } }`, { p: `fl-${world.run}-patient-${n % 5}` }, clinician);
        if (result.errors) readFailures.push(JSON.stringify(result.errors));
      }
    })();

    const followMs: number[] = [];
    let previous: MigrationStage = 'dual_write';
    for (const flip of flips) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const order = stageIndex(flip.stage) >= stageIndex(previous) ? (['sessions', 'feedback'] as const) : (['feedback', 'sessions'] as const);
      previous = flip.stage;
      // writes never stop: the relay has always just a few changes to apply, which force lets through
      const options = { ...(flip.rolloutPercent === undefined ? {} : { rolloutPercent: flip.rolloutPercent }), force: true };
      await world.setStage(order[0], flip.stage, options);
      // watched from before the last change: the mutation answers with a status (counts in both stores) only later
      const started = Date.now();
      const seen = (async () => {
        while ((await routedStage(second, 'feedback')) !== flip.stage || (await routedStage(second, 'sessions')) !== flip.stage) {
          if (Date.now() - started > 10_000) throw new Error(`the second replica did not follow to ${flip.stage}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return Date.now();
      })();
      await world.setStage(order[1], flip.stage, options);
      // from the moment the row changed, just before its commit
      const [row] = (await world.sql.query<{ changed: Date }>('SELECT updated_at AS changed FROM migration_stages WHERE domain = $1', [order[1]])).rows;
      followMs.push((await seen) - (row?.changed.getTime() ?? started));
    }
    await load;
    await reads;
    expect(log.failures).toEqual([]);
    expect(readFailures).toEqual([]);
    console.log(`[stage flips] the second replica followed in ${followMs.join(', ')} ms`);
    expect(Math.max(...followMs)).toBeLessThan(1000);
    await waitForRelay(world, 60_000);
    expect(await discrepancies(world, log)).toEqual(noDiscrepancies);
  }, 240_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationStages, stageIndex, type MigrationStage } from '../../migration/stages/stage-rules.js';
import { discrepancies, noDiscrepancies } from './both-stores.js';
import { runMigrate } from './migrate-cli.js';
import { waitForRelay } from './relay-wait.js';
import { emptyLog, writeLoad, type WriteLog } from './write-load.js';
import { startMigrationWorld, type MigrationWorld } from './world.js';

/**
 * Rollback (seed 5.2) from every stage to `legacy`: afterwards legacy holds every write made
 * in any stage; from `complete`, what was written only to PostgreSQL is copied back first.
 */
describe('rollback to legacy from every stage', () => {
  let world: MigrationWorld;
  const log: WriteLog = emptyLog();

  beforeAll(async () => {
    world = await startMigrationWorld('rollback');
    await world.startReplica();
  }, 120_000);
  afterAll(() => world?.stop());

  const forward = async (target: MigrationStage) => {
    for (const stage of migrationStages.slice(1, stageIndex(target) + 1)) {
      for (const domain of ['sessions', 'feedback'] as const) await world.setStage(domain, stage, { force: true, ...(stage === 'live' ? { rolloutPercent: 50 } : {}) });
    }
  };

  it.each(['dual_write', 'shadow', 'live', 'rampdown', 'complete'] as const)('from %s, legacy ends holding every write', async (stage) => {
    await forward(stage);
    await writeLoad(world, `rb-${stage}-${world.run}`, { count: 60, perSecond: 60, workers: 3, log });
    expect(log.failures).toEqual([]);
    if (stage !== 'complete') await waitForRelay(world);
    const rolled = await runMigrate(world.env, ['rollback', 'full', '--json']);
    expect(rolled.code, rolled.stderr).toBe(0);
    const done = JSON.parse(rolled.stdout) as { domain: string; from: string; copiedBack: number }[];
    expect(done.map((entry) => [entry.domain, entry.from])).toEqual([['feedback', stage], ['sessions', stage]]);
    // at complete nothing reached legacy on its way: all of it came back now
    if (stage === 'complete') expect(done.every((entry) => entry.copiedBack > 0)).toBe(true);
    const stages = await world.sql.query<{ domain: string; stage: string }>(`SELECT domain, stage FROM migration_stages WHERE domain IN ('sessions', 'feedback') ORDER BY domain`);
    expect(stages.rows).toEqual([{ domain: 'feedback', stage: 'legacy' }, { domain: 'sessions', stage: 'legacy' }]);
    // every write of every stage so far, in both stores exactly once
    expect(await discrepancies(world, log)).toEqual(noDiscrepancies);
  }, 180_000);

  it('refuses to give sessions back while feedback is ahead of them', async () => {
    await world.setStage('sessions', 'dual_write');
    await world.setStage('feedback', 'dual_write');
    const refused = await runMigrate(world.env, ['rollback', '1-3']);
    expect([refused.code, refused.stderr]).toEqual([3, expect.stringContaining('roll back feedback first')]);
    expect((await runMigrate(world.env, ['rollback', 'full'])).code).toBe(0);
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedbackBackfill } from '../../migration/backfill/feedback-backfill.js';
import { runBackfill } from '../../migration/backfill/run-backfill.js';
import { sessionBackfill } from '../../migration/backfill/session-backfill.js';
import { writeLegacyDataset, type WrittenDataset } from '../../migration/legacy/dataset/write-dataset.js';
import { readBackfill, reportedRecords } from '../../migration/store/backfill-store.js';
import { openMigrationToolkit, type MigrationToolkit } from '../../migration/toolkit.js';
import { verifyDomain, type VerificationReport } from '../../migration/verify/verify-domain.js';
import { startServiceProcess } from '../support/service-process.js';
import { runMigrate } from './migrate-cli.js';
import { waitForRelay } from './relay-wait.js';
import { emptyLog, writeLoad } from './write-load.js';
import { startMigrationWorld, type MigrationWorld } from './world.js';

/**
 * The batch half of the move on the real stores, over a generated legacy dataset with every
 * quirk of the legacy model: every record moves as it is or is reported with its reason, a
 * rerun changes nothing, a backfill killed three times ends as an uninterrupted one, and one
 * run while dual-writes go on ends consistent.
 */
describe('backfill and verification of a legacy dataset', () => {
  let world: MigrationWorld;
  let kit: MigrationToolkit;
  let written: WrittenDataset;
  let uninterrupted: VerificationReport[];

  const backfillAll = async () => {
    const sessions = await runBackfill(kit.db, sessionBackfill(kit.legacy, kit.format, kit.resolveConcepts), { batchSize: 100, restart: false });
    const feedback = await runBackfill(kit.db, feedbackBackfill(kit.legacy, kit.format), { batchSize: 500, restart: false });
    return { sessions, feedback };
  };
  const verifyAll = async () => [await verifyDomain(kit, 'sessions', { sample: 50 }), await verifyDomain(kit, 'feedback', { sample: 50 })];
  const aggregates = (reports: VerificationReport[]) => reports.flatMap((report) => report.kinds.map((kind) => [kind.kind, kind.postgres, kind.aggregates.postgres]));
  const emptyPostgres = () => world.sql.query('TRUNCATE sessions, messages, feedback, preference_pairs, migration_backfills, migration_problems, migration_verifications CASCADE');

  beforeAll(async () => {
    world = await startMigrationWorld('backfill');
    kit = await openMigrationToolkit(world.config);
    written = await writeLegacyDataset(world.legacy, { tag: `test-${world.run}`, seed: 11, sessions: 600, concepts: { ids: [], names: ['Psoriasis', 'Crohn disease'] } });
  }, 180_000);
  afterAll(async () => {
    await kit?.close();
    await world?.stop();
  });

  it('moves every legacy record as it is or names it with the reason, and a second run changes nothing', async () => {
    const first = await backfillAll();
    expect(first.sessions.status).toBe('finished');
    expect(first.sessions.read).toBe(written.sessions + written.messages);
    uninterrupted = await verifyAll();
    for (const report of uninterrupted) {
      expect(report.consistent, JSON.stringify(report.kinds)).toBe(true);
      for (const kind of report.kinds) expect(kind.aggregates.postgres).toBe(kind.aggregates.legacy);
    }

    // nothing dropped: each legacy record is in PostgreSQL or in the report
    const reported = [...(await reportedRecords(kit.db, 'sessions')), ...(await reportedRecords(kit.db, 'feedback'))];
    const refused = (kind: string) => reported.filter((record) => record.recordKind === kind && !record.reason.includes('moved without it')).length;
    const [counts] = (await world.sql.query<{ sessions: number; messages: number; feedback: number }>('SELECT (SELECT count(*)::int FROM sessions) AS sessions, (SELECT count(*)::int FROM messages) AS messages, (SELECT count(*)::int FROM feedback) AS feedback')).rows;
    expect([counts?.sessions, counts?.messages, counts?.feedback].map((count) => count ?? 0)).toEqual([
      written.sessions - refused('session'),
      written.messages - refused('message'),
      written.feedback - refused('feedback'),
    ]);

    // every kind of record PostgreSQL refuses, or that cannot be read, is named with why (never its content)
    const reasons = reported.map((record) => `${record.recordKind} ${record.fields.join(',')}: ${record.reason}`).join('\n');
    for (const expected of ['orphan: no session has this message', 'holds a NUL character', 'is not an ISO-8601 timestamp', 'status is not one of active, ended, archived', 'feedback_rating_check', 'names a session that no longer exists: moved without it']) {
      expect(reasons).toContain(expected);
    }
    expect(reasons).not.toContain('binary paste');

    // the quirks, read as the legacy application meant them
    const quirks = await world.sql.query<{ without_status: number; timestamps: number }>(`SELECT count(*) FILTER (WHERE status = 'active')::int AS without_status, count(*)::int AS timestamps FROM sessions`);
    expect(quirks.rows[0]?.without_status).toBeGreaterThan(0);
    const [unlinked] = (await world.legacy.executeQuery('MATCH (p:Patient)-[:HAS_SESSION]->(s:ConversationSession) WHERE s.patient_id IS NULL AND s.status IS NULL RETURN s.id AS id, p.id AS patient LIMIT 1')).records;
    const moved = await world.sql.query<{ patient_id: string; status: string }>('SELECT patient_id, status FROM sessions WHERE id = $1', [unlinked?.get('id')]);
    expect(moved.rows[0]).toEqual({ patient_id: unlinked?.get('patient'), status: 'active' });

    const again = await backfillAll();
    expect([again.sessions.moved, again.feedback.moved]).toEqual([0, 0]);
    expect(aggregates(await verifyAll())).toEqual(aggregates(uninterrupted));
  }, 300_000);

  it('killed three times at random points, a resumed backfill ends exactly as an uninterrupted one', async () => {
    await emptyPostgres();
    const checkpoints: (string | null)[] = [];
    for (let kill = 0; kill < 3; kill += 1) {
      // small batches: the run lasts long enough to be killed in its middle
      const before = (await readBackfill(kit.db, 'sessions'))?.checkpoint ?? null;
      const run = startServiceProcess('scripts/migrate.ts', world.env, { args: ['backfill', 'sessions', '--batch-size', '10'] });
      // killed in the middle of its work, however long the process takes to start on a busy machine
      const deadline = Date.now() + 60_000;
      while (((await readBackfill(kit.db, 'sessions'))?.checkpoint ?? null) === before && run.child.exitCode === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 1500));
      run.child.kill('SIGKILL');
      await run.exited;
      checkpoints.push((await readBackfill(kit.db, 'sessions'))?.checkpoint ?? null);
    }
    expect(checkpoints.filter((checkpoint) => checkpoint !== null).length, `checkpoints after each kill: ${checkpoints.join(', ')}`).toBeGreaterThan(0);
    const last = await runMigrate(world.env, ['backfill', 'all', '--json']);
    // 1: records were reported (the dataset has records PostgreSQL refuses)
    expect(last.code, last.stderr).toBe(1);
    expect((JSON.parse(last.stdout) as { domain: string; status: string }[]).map((row) => [row.domain, row.status])).toEqual([['sessions', 'finished'], ['feedback', 'finished'], ['documents', 'finished']]);
    const resumed = await verifyAll();
    expect(resumed.map((report) => report.consistent)).toEqual([true, true]);
    expect(aggregates(resumed)).toEqual(aggregates(uninterrupted));
  }, 300_000);

  it('answers operators with the exit codes of its contract', async () => {
    const migrate = (...args: string[]) => runMigrate(world.env, args);
    const status = await migrate('status', 'sessions', '--json');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject([{ domain: 'sessions', stage: 'legacy', backfill: { status: 'finished' } }]);
    const refused = await migrate('stage', 'sessions', 'shadow');
    expect([refused.code, refused.stderr]).toEqual([3, expect.stringContaining('forward moves go one stage at a time')]);
    expect((await migrate('backfill', 'patients')).code).toBe(2);
    const verify = await migrate('verify', 'feedback');
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain('feedback: consistent');
    // a record PostgreSQL lost: verify names it and exits 1
    const [lost] = (await world.sql.query<{ id: string }>('DELETE FROM feedback WHERE id = (SELECT min(id) FROM feedback) RETURNING id')).rows;
    const differ = await migrate('verify', 'feedback', '--json');
    expect(differ.code).toBe(1);
    expect((JSON.parse(differ.stdout) as VerificationReport[])[0]?.kinds[0]?.missing).toEqual([lost?.id]);
  }, 180_000);

  it('run while dual-writes go on, ends consistent', async () => {
    await emptyPostgres();
    await world.startReplica();
    await world.setStage('sessions', 'dual_write');
    await world.setStage('feedback', 'dual_write');
    const log = emptyLog();
    await Promise.all([writeLoad(world, `bf-${world.run}`, { count: 300, perSecond: 60, workers: 4, log }), backfillAll()]);
    expect(log.failures).toEqual([]);
    await waitForRelay(world);
    const reports = await verifyAll();
    expect(reports.map((report) => [report.consistent, report.kinds.map((kind) => [kind.missing.length, kind.extra.length, kind.differing.length])])).toEqual([
      [true, [[0, 0, 0], [0, 0, 0]]],
      [true, [[0, 0, 0]]],
    ]);
  }, 300_000);
});

import { cpus, loadavg } from 'node:os';
import { feedbackBackfill } from '../../migration/backfill/feedback-backfill.js';
import { runBackfill } from '../../migration/backfill/run-backfill.js';
import { LatencyThrottle } from '../../migration/backfill/throttle.js';
import { sessionBackfill } from '../../migration/backfill/session-backfill.js';
import { foreignLegacyRecords, removeLegacyDataset, writeLegacyDataset } from '../../migration/legacy/dataset/write-dataset.js';
import { openMigrationToolkit } from '../../migration/toolkit.js';
import { verifyDomain } from '../../migration/verify/verify-domain.js';
import { prepareBenchConfig } from '../operations/bench-database.js';

/**
 * Backfill and verification benchmark (not a test): writes 10,000 legacy sessions (about
 * 200,000 messages and 50,000 feedback) into the legacy store, backfills them into a
 * PostgreSQL database of its own (`<db>_bench_migration`) and verifies both domains; prints
 * records per second of each. Goals on this machine: the backfill under 60 s, the
 * verification under 30 s. It refuses to run when the legacy store holds data it did not write.
 */
const tag = 'bench-backfill';
const sessions = Number(process.argv[process.argv.indexOf('--sessions') + 1]) || 10_000;
const config = await prepareBenchConfig('migration');
const kit = await openMigrationToolkit(config);
try {
  const foreign = await foreignLegacyRecords(kit.legacy, tag);
  if (foreign > 0) throw new Error(`the legacy store holds ${foreign} session, message or feedback nodes this benchmark did not write: run it against a legacy store of its own (LEGACY_NEO4J_URI)`);
  await removeLegacyDataset(kit.legacy, tag);
  await kit.pool.query('TRUNCATE sessions, messages, feedback, preference_pairs, migration_backfills, migration_problems, migration_verifications CASCADE');
  let started = Date.now();
  const written = await writeLegacyDataset(kit.legacy, { tag, seed: 2026, sessions, feedbackShare: 0.5, concepts: { ids: [], names: ['Psoriasis', 'Crohn disease', 'Lupus'] } });
  console.log(`legacy dataset: ${written.sessions} sessions, ${written.messages} messages (${written.orphanMessages} orphans), ${written.feedback} feedback, written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`machine: ${cpus().length} cores, load ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);

  const rows: string[][] = [];
  const measure = async (what: string, records: number, work: () => Promise<unknown>) => {
    started = Date.now();
    await work();
    const seconds = (Date.now() - started) / 1000;
    rows.push([what, String(records), seconds.toFixed(1), String(Math.round(records / seconds))]);
    return seconds;
  };
  const throttle = new LatencyThrottle();
  const backfillSeconds =
    (await measure('backfill sessions + messages', written.sessions + written.messages, () => runBackfill(kit.db, sessionBackfill(kit.legacy, kit.format, kit.resolveConcepts), { batchSize: 100, restart: true, throttle }))) +
    (await measure('backfill feedback', written.feedback, () => runBackfill(kit.db, feedbackBackfill(kit.legacy, kit.format), { batchSize: 500, restart: true, throttle })));
  const throttledMs = throttle.pausedMs;
  const verifySeconds =
    (await measure('verify sessions + messages', written.sessions + written.messages, () => verifyDomain(kit, 'sessions', { sample: 100 }))) +
    (await measure('verify feedback', written.feedback, () => verifyDomain(kit, 'feedback', { sample: 100 })));
  console.log('\n| step | records | seconds | records/s |\n|---|---:|---:|---:|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(`\nbackfill ${backfillSeconds.toFixed(1)} s (goal < 60 s; ${(throttledMs / 1000).toFixed(1)} s of it paused by the throttle), verification ${verifySeconds.toFixed(1)} s (goal < 30 s)`);
  await removeLegacyDataset(kit.legacy, tag);
} finally {
  await kit.close();
}

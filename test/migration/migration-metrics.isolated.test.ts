import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMessage, startSession } from './conversation-script.js';
import { waitForRelay } from './relay-wait.js';
import { startMigrationWorld, type MigrationWorld } from './world.js';

/**
 * The move's figures in /metrics: every read and write timed per store, the records in each
 * store, the changes waiting for the other store and their age, the last backfill and
 * verification; figures that follow what happens, not constants.
 */
describe('migration metrics', () => {
  let world: MigrationWorld;
  const scrape = async () => (await (await fetch(new URL('/metrics', world.replicas[0]?.url))).text()).split('\n');
  const value = (lines: string[], series: string) => {
    const line = lines.find((candidate) => candidate.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  beforeAll(async () => {
    world = await startMigrationWorld('metrics');
    await world.startReplica();
  }, 120_000);
  afterAll(() => world?.stop());

  it('times reads and writes per store and follows records and changes waiting', async () => {
    await world.setStage('sessions', 'dual_write');
    const clinician = await world.token('clinician');
    const before = await scrape();
    const writes = (lines: string[], store: string) => value(lines, `migration_store_request_seconds_count{domain="sessions",store="${store}",kind="write",outcome="ok"}`) ?? 0;
    const sessionId = await startSession(world, clinician, `metrics-${world.run}`, 'Timed');
    await postMessage(world, clinician, sessionId, 'USER', 'How long does this take?');
    const read = await world.gql(`query($id: ID!) { session(id: $id) { id messages(first: 5) { edges { node { id } } } } }`, { id: sessionId }, clinician);
    expect(read.errors).toBeUndefined();
    await waitForRelay(world);
    // the status figures are read in the background, at most every 10 s: scraped until they show the writes
    let after = await scrape();
    for (let waited = 0; value(after, 'migration_records{domain="sessions",kind="messages",store="postgres"}') !== 1; waited += 250) {
      if (waited > 15_000) throw new Error('the status figures did not follow the writes within 15 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await scrape();
    }
    // legacy decides at dual_write: both writes went there, and the relay wrote PostgreSQL (not through the routed stores)
    expect(writes(after, 'legacy') - writes(before, 'legacy')).toBe(2);
    expect(writes(after, 'postgres') - writes(before, 'postgres')).toBe(0);
    expect(value(after, 'migration_store_request_seconds_count{domain="sessions",store="legacy",kind="read",outcome="ok"}')).toBeGreaterThan(0);
    expect(value(after, 'migration_records{domain="sessions",kind="sessions",store="legacy"}')).toBe(1);
    expect(value(after, 'migration_records{domain="sessions",kind="messages",store="postgres"}')).toBe(1);
    expect(value(after, 'migration_changes_pending{domain="sessions",direction="to_postgres"}')).toBe(0);
    expect(value(after, 'migration_changes_oldest_age_seconds{domain="sessions",direction="to_legacy"}')).toBe(0);
    expect(after).toContain('migration_stage{domain="sessions",stage="dual_write"} 1');
    // no backfill ran and nothing was verified: no figure rather than a made-up one
    expect(after.some((line) => line.startsWith('migration_backfill_finished{') || line.startsWith('migration_verification_consistent{'))).toBe(false);
  }, 60_000);
});

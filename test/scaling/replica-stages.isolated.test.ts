import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceHandle } from '../../lib/http-server.js';
import type { MigrationStage } from '../../migration/stages/stage-rules.js';
import { startSession } from '../migration/conversation-script.js';
import { waitForRelay } from '../migration/relay-wait.js';
import { startMigrationWorld, type MigrationWorld } from '../migration/world.js';
import { metricSamples, startReplicas, stopReplicas, type Replica } from './replica-processes.js';

/**
 * Two operations replicas, each a process of its own over the same stores (a migration world: a
 * PostgreSQL database of its own, the legacy labels of the shared Neo4j, which is why this runs
 * alone). Stages are changed through the first; writes go through the second, which must route
 * them by the new stage though nothing but PostgreSQL and Redis connects the two.
 */
describe('a stage changed through one operations replica is obeyed by another', () => {
  let world: MigrationWorld;
  let processes: Replica[] = [];
  let second: Replica;
  let clinician: string;

  beforeAll(async () => {
    world = await startMigrationWorld('replica-stages');
    processes = await startReplicas([
      ['operations', world.env],
      ['operations', world.env],
    ]);
    const [first, other] = processes as [Replica, Replica];
    second = other;
    // GraphQL goes to the first replica unless a test says otherwise
    world.attach(`${second.url}/graphql`);
    world.attach(`${first.url}/graphql`);
    clinician = await world.token('clinician');
  }, 240_000);
  afterAll(async () => {
    await stopReplicas(processes);
    // the world's database, legacy records and Redis keys: what the stage changes touched
    await world?.stop();
  }, 120_000);

  /** Waits until the second replica routes `sessions` by `stage` (its /metrics says so). */
  async function secondFollows(stage: MigrationStage): Promise<void> {
    const routed = async () => (await metricSamples(second, 'migration_stage')).find((sample) => sample.labels.domain === 'sessions' && sample.value === 1)?.labels.stage;
    for (let attempt = 0; (await routed()) !== stage; attempt += 1) {
      if (attempt === 300) throw new Error(`the second replica still routes sessions by ${await routed()}, not ${stage}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const writeThroughSecond = (title: string) => startSession(world.via(world.replicas[1] as ServiceHandle), clinician, `rs-${world.run}-patient`, title);
  /** Where a session is once the relay has applied everything it has to: [in PostgreSQL, in the legacy store]. */
  async function storesHolding(sessionId: string): Promise<[boolean, boolean]> {
    await waitForRelay(world);
    const { rows } = await world.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE id = $1', [sessionId]);
    const { records } = await world.legacy.executeQuery('MATCH (s:ConversationSession {id: $id}) RETURN count(s) AS n', { id: sessionId });
    return [rows[0]?.n === 1, Number(records[0]?.get('n')) === 1];
  }

  it('writes through the second replica go to the legacy store only at legacy, to both after a switch to dual_write through the first', async () => {
    await secondFollows('legacy');
    expect(await storesHolding(await writeThroughSecond('at legacy'))).toEqual([false, true]);
    await world.setStage('sessions', 'dual_write');
    await secondFollows('dual_write');
    expect(await storesHolding(await writeThroughSecond('at dual_write'))).toEqual([true, true]);
  });

  it('writes through the second replica go to PostgreSQL only once the first has moved sessions to complete; the gateways are told', async () => {
    for (const stage of ['shadow', 'live', 'rampdown', 'complete'] as const) await world.setStage('sessions', stage, stage === 'live' ? { rolloutPercent: 100, force: true } : {});
    await secondFollows('complete');
    expect(await storesHolding(await writeThroughSecond('at complete'))).toEqual([true, false]);
    // the stage epoch every gateway replica puts in its response-cache keys (lib/stage-epoch)
    const redis = new Redis(world.config.redis.url);
    try {
      expect(await redis.get(`${world.config.eventStreamPrefix}:migration:stage-epoch`)).toContain('sessions:complete');
    } finally {
      redis.disconnect();
    }
  });
});

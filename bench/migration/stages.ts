import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import neo4j from 'neo4j-driver';
import { signDevToken } from '../../lib/auth.js';
import { loadConfig } from '../../lib/config.js';
import { percentile } from '../../lib/percentile.js';
import { requestGraphQL } from '../../lib/graphql-client.js';
import { feedbackBackfill } from '../../migration/backfill/feedback-backfill.js';
import { runBackfill } from '../../migration/backfill/run-backfill.js';
import { sessionBackfill } from '../../migration/backfill/session-backfill.js';
import { foreignLegacyRecords, removeLegacyDataset, writeLegacyDataset } from '../../migration/legacy/dataset/write-dataset.js';
import { migrationStages, stageIndex, type MigrationStage } from '../../migration/stages/stage-rules.js';
import { ensureStages } from '../../migration/stages/initial-stages.js';
import { changeStage, readStoredStages } from '../../migration/store/stage-store.js';
import { openMigrationToolkit } from '../../migration/toolkit.js';
import { startOperations } from '../../subgraphs/operations/server.js';
import { prepareBenchConfig } from '../operations/bench-database.js';
import { p95Difference } from './p95-difference.js';

/**
 * Migration benchmark (not a test), at 10,000 sessions and about 200,000 messages in both
 * stores (a generated legacy dataset, backfilled): the write latency of startSession,
 * postMessage and submitFeedback at `legacy`, `dual_write` and `complete` (the stages taking
 * turns for `--rounds N` rounds, default 6, of 50 writes; from `--clients N` writers at once,
 * default 1) with the dual-write overhead at p95 and its bootstrap interval, and the seed's
 * section 3.3 reads from legacy and from PostgreSQL, measured at the operations subgraph. The
 * legacy dataset is written for the run and removed after it.
 */
const tag = 'bench-stages';
/** Writes of each kind per stage: `rounds` interleaved rounds of `writesPerRound`. */
const roundsFlag = process.argv.indexOf('--rounds');
const rounds = roundsFlag >= 0 ? Math.max(1, Number(process.argv[roundsFlag + 1]) || 6) : 6;
const writesPerRound = 50;
const clientsFlag = process.argv.indexOf('--clients');
/** Writers at once (`--clients N`, default 1): write latency under concurrent load. */
const clients = clientsFlag >= 0 ? Math.max(1, Number(process.argv[clientsFlag + 1]) || 1) : 1;
const reads = 100;
const base = await prepareBenchConfig('migration');
const config = loadConfig({ ...process.env, DATABASE_URL: base.postgres.url, EVENT_STREAM_PREFIX: 'bench-stages', OPERATIONS_VIEW_REFRESH_SECONDS: '0', LOG_LEVEL: 'warn', SUBGRAPH_RATE_LIMIT: '1000000', FEEDBACK_LIMIT_PER_PATIENT_PER_DAY: '100000', FEEDBACK_LIMIT_PER_ENTITY_PER_DAY: '100000' });
const kit = await openMigrationToolkit(config);
const count = async (cypher: string) => neo4j.integer.toNumber((await kit.legacy.executeQuery(cypher, { tag })).records[0]?.get(0) as number);
/** What a run writes in the legacy store (which `npm start` may share as its own): removed before and after it. */
const removeBenchData = async () => {
  await kit.legacy.executeQuery(`MATCH (n) WHERE (n:ConversationSession OR n:Message OR n:UserFeedback) AND n.patient_id STARTS WITH 'bench-writer-' DETACH DELETE n`);
  await removeLegacyDataset(kit.legacy, tag);
};
await removeBenchData();
const foreign = await foreignLegacyRecords(kit.legacy, tag);
if (foreign > 0) throw new Error(`the legacy store holds ${foreign} session, message, feedback or document nodes this benchmark did not write, or changes waiting for a relay: run it against a legacy store of its own (LEGACY_NEO4J_URI)`);
await kit.pool.query('TRUNCATE sessions, messages, feedback, preference_pairs, migration_backfills, migration_problems, migration_verifications, migration_stages, migration_changes, migration_applied_changes CASCADE');
const written = await writeLegacyDataset(kit.legacy, { tag, seed: 7, sessions: 10_000, feedbackShare: 0.5, concepts: { ids: [], names: ['Psoriasis'] } });
await runBackfill(kit.db, sessionBackfill(kit.legacy, kit.format, kit.resolveConcepts), { batchSize: 100, restart: true });
await runBackfill(kit.db, feedbackBackfill(kit.legacy, kit.format), { batchSize: 500, restart: true });
console.log(`dataset: ${written.sessions} sessions, ${written.messages} messages, ${written.feedback} feedback in both stores`);
let service: Awaited<ReturnType<typeof startOperations>> | undefined;
try {
  await ensureStages(kit.db, kit.legacy, { sessions: false, feedback: false, documents: false });
  // forward one stage at a time (live at 100 %), backward at once: the rules of the stages
  const setStage = async (target: MigrationStage) => {
    const current = (await readStoredStages(kit.db)).sessions?.stage ?? 'legacy';
    const path = stageIndex(target) > stageIndex(current) ? migrationStages.slice(stageIndex(current) + 1, stageIndex(target) + 1) : [target];
    for (const stage of path) {
      for (const domain of stageIndex(stage) < stageIndex(current) ? (['feedback', 'sessions'] as const) : (['sessions', 'feedback'] as const)) {
        await changeStage(kit.db, { sub: 'bench', role: 'admin' }, domain, { stage, rolloutPercent: stage === 'live' ? 100 : null, force: true }, { pendingLegacyChanges: async () => 0, pendingPostgresChanges: async () => 0 });
      }
    }
    // every replica follows within a second
    await new Promise((resolve) => setTimeout(resolve, 1500));
  };

  service = await startOperations(config, 0);
  const token = await signDevToken(config.auth, { sub: 'bench-clinician', role: 'clinician' });
  const url = service.url;
  const gql = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => requestGraphQL<T>(url, query, variables, { token });
  const timed = async (samples: number[], work: () => Promise<unknown>) => {
    const started = performance.now();
    const result = await work();
    samples.push(performance.now() - started);
    return result;
  };

  type WriteSamples = Record<'startSession' | 'postMessage' | 'submitFeedback', number[]>;
  const noSamples = (): WriteSamples => ({ startSession: [], postMessage: [], submitFeedback: [] });
  /** `count` write sequences from `clients` callers at once, timed into `samples`. */
  const writeRound = async (stage: MigrationStage, count: number, samples: WriteSamples) => {
    let next = 0;
    const writer = async () => {
      for (let n = next++; n < count; n = next++) {
        const { startSession } = (await timed(samples.startSession, () => gql<{ startSession: { id: string } }>('mutation($p: ID!) { startSession(input: { patientId: $p, title: "Bench" }) { id } }', { p: `bench-writer-${n % 20}` }))) as { startSession: { id: string } };
        await timed(samples.postMessage, () => gql('mutation($s: ID!) { postMessage(input: { sessionId: $s, role: USER, content: "Is methotrexate safe with my kidneys?" }) { id } }', { s: startSession.id }));
        const responseId = `bench-${stage}-${n}-${randomUUID()}`;
        await gql('mutation($s: ID!, $r: ID!) { postMessage(input: { sessionId: $s, role: ASSISTANT, content: "Usually, with monitoring.", responseId: $r, confidence: 0.8 }) { id } }', { s: startSession.id, r: responseId });
        await timed(samples.submitFeedback, () => gql('mutation($r: ID!) { submitFeedback(input: { responseId: $r, rating: 4, feedbackType: HELPFUL }) { id } }', { r: responseId }));
      }
    };
    await Promise.all(Array.from({ length: clients }, writer));
  };

  // The stages take turns, round after round, so that a drift of the machine's speed during the
  // run falls on all of them alike; a first pass through the stages warms every path up.
  const writeStages = ['legacy', 'dual_write', 'complete'] as const;
  const writeSamples = Object.fromEntries(writeStages.map((stage) => [stage, noSamples()])) as Record<(typeof writeStages)[number], WriteSamples>;
  for (const stage of writeStages) {
    await setStage(stage);
    await writeRound(stage, 20, noSamples());
  }
  for (let round = 0; round < rounds; round += 1) {
    for (const stage of writeStages) {
      await setStage(stage);
      await writeRound(stage, writesPerRound, writeSamples[stage]);
    }
  }
  const ascending = (values: number[]) => [...values].sort((a, b) => a - b);
  const writeRows = writeStages.flatMap((stage) =>
    Object.entries(writeSamples[stage]).map(([operation, values]) => `| ${operation} | ${stage} | ${percentile(ascending(values), 50).toFixed(1)} | ${percentile(ascending(values), 95).toFixed(1)} |`),
  );
  console.log(`\nwrites (${rounds * writesPerRound} each per stage in ${rounds} interleaved rounds, from ${clients} ${clients === 1 ? 'client' : 'clients at once'}; ms at the operations subgraph)\n| operation | stage | p50 | p95 |\n|---|---|---:|---:|\n${writeRows.join('\n')}`);
  for (const operation of ['startSession', 'postMessage', 'submitFeedback'] as const) {
    const overhead = p95Difference(writeSamples.dual_write[operation], writeSamples.legacy[operation]);
    console.log(
      `dual-write overhead at p95, ${operation}: ${overhead.measured.toFixed(1)} ms (90 % bootstrap interval ${overhead.low.toFixed(1)} to ${overhead.high.toFixed(1)} ms; goal < 5 ms: ${overhead.high < 5 ? 'met' : overhead.measured < 5 ? 'not shown' : 'missed'})`,
    );
  }

  const patients = (await kit.pool.query<{ id: string }>(`SELECT patient_id AS id FROM sessions WHERE title IS DISTINCT FROM 'Bench' GROUP BY patient_id ORDER BY count(*) DESC LIMIT 50`)).rows.map((row) => row.id);
  const sessions = (await kit.pool.query<{ id: string }>(`SELECT id FROM sessions WHERE message_count >= 20 AND title IS DISTINCT FROM 'Bench' ORDER BY id LIMIT 200`)).rows.map((row) => row.id);
  const readQueries = {
    "a patient's session list": (n: number) => gql('query($p: ID!) { sessions(patientId: $p, first: 20) { edges { node { id title status lastActivity } } } }', { p: patients[n % patients.length] }),
    "a session's messages": (n: number) => gql('query($s: ID!) { session(id: $s) { messages(first: 50) { edges { node { id role content createdAt } } } } }', { s: sessions[n % sessions.length] }),
    'a session count': (n: number) => gql('query($p: ID!) { sessions(patientId: $p, first: 0) { totalCount } }', { p: patients[n % patients.length] }),
    'message search': (n: number) => gql('query($p: ID!) { searchMessages(patientId: $p, text: "methotrexate", first: 10) { rank snippet message { id } } }', { p: patients[n % patients.length] }),
  };
  const readP50: Record<string, Record<string, number>> = {};
  const refusedReads: Record<string, number> = {};
  let lastRefusal = '';
  for (const stage of ['legacy', 'complete'] as const) {
    await setStage(stage);
    for (const [name, query] of Object.entries(readQueries)) {
      const samples: number[] = [];
      // a patient with a legacy record that cannot be read gets an error naming it: counted, not timed
      for (let n = 0; n < reads + 10; n += 1) await timed(n >= 10 ? samples : [], () =>
          query(n).catch((error: unknown) => {
            refusedReads[`${name} at ${stage}`] = (refusedReads[`${name} at ${stage}`] ?? 0) + 1;
            lastRefusal = (error as Error).message.slice(0, 200);
          }),
        );
      (readP50[name] ??= {})[stage] = percentile(ascending(samples), 50);
    }
  }
  console.log(`\nreads answered with an error: ${JSON.stringify(refusedReads)}${lastRefusal ? ` (the last: ${lastRefusal})` : ''}`);
  console.log(`\nreads (${reads} each, p50 ms at the operations subgraph; the seed expects 5x, 6x, 50x, 10x)\n| query | legacy | PostgreSQL | ratio |\n|---|---:|---:|---:|`);
  for (const [name, stages] of Object.entries(readP50)) console.log(`| ${name} | ${(stages.legacy ?? 0).toFixed(1)} | ${(stages.complete ?? 0).toFixed(1)} | ${((stages.legacy ?? 0) / Math.max(0.01, stages.complete ?? 0)).toFixed(1)}x |`);

  // the relay applies what the dual-write stages left for PostgreSQL before the service stops: a next run (or a rehearsal) finds no changes waiting
  for (let waited = 0; (await count('MATCH (c:MigrationChange) RETURN count(c)')) > 0; waited += 500) {
    if (waited > 30_000) throw new Error('the relay left changes waiting in the legacy store after 30 s');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
} finally {
  await service?.stop();
  await removeBenchData();
  await kit.close();
}

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamName } from '../../lib/event-contracts.js';
import { publish } from '../../lib/typed-events.js';
import { migrationStages, stageIndex, type MigrationStage } from '../../migration/stages/stage-rules.js';
import { runMigrate } from './migrate-cli.js';
import { waitForRelay } from './relay-wait.js';
import { startMigrationWorld, stageValue, type MigrationWorld } from './world.js';

/**
 * The documents domain online: ingestDocument and ingestion's results go to the store of the
 * stage (and to the other one while they dual-write), the document queries answer the same in
 * every stage, and the ingest request reaches the search subgraph's stream in every stage. The
 * test plays the search subgraph: it publishes ingestion's results on the real stream.
 */
describe('documents through the API in every stage', () => {
  let world: MigrationWorld;
  let redis: Redis;
  let admin: string;
  const ingested: string[] = [];
  const documentFields = 'id filename title status chunkCount createdAt quality { compositeScore informationDensity }';

  const ingest = async (title: string) => {
    const result = await world.gql<{ ingestDocument: { id: string; status: string } }>(
      `mutation($input: IngestDocumentInput!) { ingestDocument(input: $input) { id status } }`,
      { input: { filename: `${title}.md`, title, content: `# ${title}\n\nPsoriasis is followed up every 12 weeks.` } },
      admin,
    );
    if (result.errors || !result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.ingestDocument;
  };
  const readDocument = async (id: string) => (await world.gql<{ document: Record<string, unknown> | null }>(`query($id: ID!) { document(id: $id) { ${documentFields} } }`, { id }, admin)).data?.document;
  const readList = async () => (await world.gql(`{ documents(first: 50) { totalCount edges { node { ${documentFields} } } } }`, {}, admin)).data;
  const complete = async (documentId: string, compositeScore: number) => {
    await publish(redis, world.config.eventStreamPrefix, 'document.ingest.started', `started:${documentId}`, { documentId });
    await publish(redis, world.config.eventStreamPrefix, 'document.ingest.completed', `completed:${documentId}`, {
      documentId, chunkCount: 3, quality: { informationDensity: 0.5, structuralClarity: 0.6, entityCoherence: 0.7, contextSufficiency: 0.8, contextualRelevancy: 0.9, compositeScore },
    });
    for (let waited = 0; !Object.values(await inStores(documentId)).includes('completed'); waited += 100) {
      if (waited > 10_000) throw new Error(`document ${documentId} did not complete`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // read once the other store has it too: a shadow read before would find it missing there (the relay's lag, not a difference)
    await waitForRelay(world);
  };
  const inStores = async (id: string) => ({
    postgres: (await world.sql.query<{ status: string }>('SELECT status FROM documents WHERE id = $1', [id])).rows[0]?.status ?? null,
    legacy: ((await world.legacy.executeQuery('MATCH (d:Document {id: $id}) RETURN d.status AS status', { id })).records[0]?.get('status') as string | undefined) ?? null,
  });
  const requested = async (documentId: string) => {
    const entries = await redis.xrange(streamName(world.config.eventStreamPrefix, 'documentsIngest'), '-', '+');
    return entries.some(([, fields]) => fields.join(' ').includes(documentId));
  };

  beforeAll(async () => {
    world = await startMigrationWorld('documents-online');
    await world.startReplica();
    redis = new Redis(world.config.redis.url);
    admin = await world.token('admin');
  }, 120_000);
  afterAll(async () => {
    redis?.disconnect();
    await world?.stop();
  });

  it('writes to the stage\'s store (both while they dual-write), reads the same answer in every stage, and rolls back from complete', async () => {
    const answers = new Map<MigrationStage, unknown>();
    for (const stage of migrationStages) {
      if (stage !== 'legacy') {
        const moved = await runMigrate(world.env, ['stage', 'documents', stage, ...(stage === 'live' ? ['--rollout', '100'] : []), ...(stageIndex(stage) >= stageIndex('live') ? ['--force'] : [])]);
        expect(moved.code, moved.stderr).toBe(0);
        // every replica follows within a second
        await new Promise((resolve) => setTimeout(resolve, 1200));
      }
      // one document ingested in each stage, completed by ingestion
      const created = await ingest(`Guide at ${stage}`);
      expect(created.status).toBe('PENDING');
      ingested.push(created.id);
      await complete(created.id, 0.5 + stageIndex(stage) / 20);
      expect(await requested(created.id)).toBe(true);
      const where = await inStores(created.id);
      if (stage === 'legacy') expect(where).toEqual({ postgres: null, legacy: 'completed' });
      else if (stage === 'complete') expect(where).toEqual({ postgres: 'completed', legacy: null });
      else expect(where).toEqual({ postgres: 'completed', legacy: 'completed' });
      if (stage === 'legacy') {
        // the first document reaches PostgreSQL by the backfill, before the switch
        await runMigrate(world.env, ['stage', 'documents', 'dual_write']);
        await new Promise((resolve) => setTimeout(resolve, 1200));
        const backfilled = await runMigrate(world.env, ['backfill', 'documents']);
        expect(backfilled.code, backfilled.stdout + backfilled.stderr).toBe(0);
        const verified = await runMigrate(world.env, ['verify', 'documents']);
        expect(verified.code, verified.stdout + verified.stderr).toBe(0);
        await runMigrate(world.env, ['stage', 'documents', 'legacy']);
        await new Promise((resolve) => setTimeout(resolve, 1200));
      }
      answers.set(stage, { list: await readList(), first: await readDocument(ingested[0] as string) });
    }
    // the documents the stages before had are answered alike in every later stage
    const list = (stage: MigrationStage) => (answers.get(stage) as { list: { documents: { edges: { node: { id: string } }[] } } }).list.documents.edges.map((edge) => edge.node);
    for (const [index, stage] of migrationStages.entries()) {
      const earlier = list(migrationStages[Math.max(0, index - 1)] as MigrationStage);
      const now = list(stage).filter((node) => earlier.some((before) => before.id === node.id));
      expect(now, stageValue(stage)).toEqual(earlier.filter((node) => now.some((after) => after.id === node.id)));
      expect((answers.get(stage) as { first: unknown }).first).toEqual((answers.get('legacy') as { first: unknown }).first);
    }
    expect(list('complete')).toHaveLength(migrationStages.length);
    // shadow and live compared every read with the other store: the same, field by field (counts are flushed every 5 s)
    await new Promise((resolve) => setTimeout(resolve, 5500));
    const status = await runMigrate(world.env, ['status', 'documents', '--json']);
    const [documents] = JSON.parse(status.stdout) as { shadow: { matches: number; mismatches: number; recentMismatches: unknown[] } }[];
    expect(documents?.shadow.matches).toBeGreaterThan(0);
    expect([documents?.shadow.mismatches, documents?.shadow.recentMismatches]).toEqual([0, []]);

    const rolled = await runMigrate(world.env, ['rollback', 'full', '--json']);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(await inStores(ingested.at(-1) as string)).toEqual({ postgres: 'completed', legacy: 'completed' });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await readList()) as unknown).toEqual((answers.get('complete') as { list: unknown }).list);
  }, 240_000);
});

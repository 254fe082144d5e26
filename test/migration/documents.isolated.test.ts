import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestDomain } from '../../migration/archive/domain-graph.js';
import { backfillDomain } from '../../migration/backfill/domain-backfills.js';
import { writeLegacyDataset, type WrittenDataset } from '../../migration/legacy/dataset/write-dataset.js';
import { writeLegacy } from '../../migration/legacy/driver.js';
import { reportedRecords } from '../../migration/store/backfill-store.js';
import { openMigrationToolkit, type MigrationToolkit } from '../../migration/toolkit.js';
import { verifyDomain } from '../../migration/verify/verify-domain.js';
import { readDocumentMentions } from '../../subgraphs/knowledge/store/document-mentions.js';
import { chunkPointId } from '../../subgraphs/search/point-id.js';
import { runMigrate } from './migrate-cli.js';
import { startMigrationWorld, type MigrationWorld } from './world.js';

/**
 * The documents domain on the real stores: legacy documents move to PostgreSQL (row and
 * quality) and Qdrant (every chunk re-embedded at its legacy position), their mentions become
 * links from knowledge entities to document ids; what cannot move is named with the reason;
 * verify compares all three; archive → cleanup → restore gives the checksum of before.
 */
describe('the documents domain, legacy → PostgreSQL and Qdrant', () => {
  let world: MigrationWorld;
  let kit: MigrationToolkit;
  let written: WrittenDataset;
  let concepts: { ids: string[]; names: string[] } | undefined;
  const migrate = (...args: string[]) => runMigrate(world.env, args);
  const quirky = ['doc:blank-filename', 'doc:score-above-one', 'doc:unknown-status', 'doc:repeated-sequence', 'doc:chunk-without-text'];

  beforeAll(async () => {
    world = await startMigrationWorld('documents');
    kit = await openMigrationToolkit(world.config);
    // entities of the test's own, so that mentions resolve whatever else the knowledge graph holds now
    concepts = { ids: [`test-docs-${world.run}-1`, `test-docs-${world.run}-2`], names: [`Docs test disease ${world.run}`, `Docs test drug ${world.run}`] };
    await kit.knowledge.executeQuery(
      `UNWIND range(0, 1) AS n CREATE (e:Entity:MedicalEntity {id: $ids[n], name: $names[n], type: 'DISEASE', layer: 'SEMANTIC', confidence: 0.9})`,
      { ids: concepts.ids, names: concepts.names },
    );
    written = await writeLegacyDataset(world.legacy, { tag: `docs-${world.run}`, seed: 21, sessions: 200, concepts });
    // one document of each kind the generator makes rarely
    await writeLegacy(world.legacy, (tx) =>
      tx.run(
        `UNWIND $rows AS row
         CREATE (d:Entity:Document {id: row.id, filename: row.filename, created_at: '2025-03-01T10:00:00.000000'}) SET d.status = row.status
         WITH d, row UNWIND range(0, size(row.sequences) - 1) AS position
         CREATE (d)-[:HAS_CHUNK {sequence: row.sequences[position]}]->(:Entity:Chunk {id: row.id + ':' + position, text: CASE WHEN row.textless THEN null ELSE 'Text ' + position END})
         WITH DISTINCT d, row WHERE row.score IS NOT NULL
         CREATE (d)-[:HAS_QUALITY_REPORT]->(:DocumentQuality {composite_score: row.score})`,
        {
          rows: [
            { id: quirky[0], filename: '  ', status: 'completed', sequences: [0], score: null, textless: false },
            { id: quirky[1], filename: 'b.md', status: 'completed', sequences: [0, 1], score: 1.3, textless: false },
            { id: quirky[2], filename: 'c.md', status: 'indexed', sequences: [0], score: null, textless: false },
            { id: quirky[3], filename: 'd.md', status: 'completed', sequences: [0, 0].map((n) => neo4j.int(n)), score: null, textless: false },
            { id: quirky[4], filename: 'e.md', status: null, sequences: [0], score: 0.5, textless: true },
          ].map((row) => ({ ...row, sequences: row.sequences.map((n) => neo4j.int(n)) })),
        },
      ),
    );
  }, 240_000);
  afterAll(async () => {
    await world?.stop();
    if (concepts) await kit?.knowledge.executeQuery('MATCH (e:MedicalEntity) WHERE e.id IN $ids DETACH DELETE e', { ids: concepts.ids });
    await kit?.close();
  });

  it('moves every document with its chunks and quality, or names it with the reason; a second run changes nothing', async () => {
    const first = await backfillDomain(kit, 'documents', { batchSize: 100, restart: false });
    expect(first.status).toBe('finished');
    const report = await verifyDomain(kit, 'documents', { sample: 20 });
    expect(report.consistent, JSON.stringify(report.kinds)).toBe(true);
    for (const kind of report.kinds) expect(kind.aggregates.postgres).toBe(kind.aggregates.legacy);

    const reported = await reportedRecords(kit.db, 'documents');
    const reasons = reported.map((record) => `${record.recordKind} ${record.recordId} ${record.fields.join(',')}: ${record.reason}`).join('\n');
    for (const [id, expected] of [
      [quirky[0], 'documents_filename_check'], [quirky[1], 'document_quality_composite_check'], [quirky[2], 'status is not one of pending, processing, completed, failed'],
      [quirky[3], 'repeats position 0'], [quirky[4], 'is missing, not text'],
    ] as const) expect(reasons).toMatch(new RegExp(`document ${id} .*${expected}`));
    expect(reasons).toContain('orphan: no document has this chunk');
    expect(reasons).toContain('the knowledge graph does not hold: moved without');

    // nothing dropped: each generated document is in PostgreSQL or reported
    const refused = new Set(reported.filter((record) => record.recordKind === 'document').map((record) => record.recordId));
    const [counts] = (await world.sql.query<{ documents: number; quality: number }>('SELECT (SELECT count(*)::int FROM documents) AS documents, (SELECT count(*)::int FROM document_quality) AS quality')).rows;
    expect(counts?.documents).toBe(written.documents + quirky.length - refused.size);
    expect(counts?.quality).toBeGreaterThan(0);

    // one document as it is in legacy: its chunks at their positions in Qdrant, its mentions linked
    const [legacy] = (await world.legacy.executeQuery(
      `MATCH (d:Document)-[r:HAS_CHUNK]->(c:Chunk)-[:MENTIONS]->(x:ExtractedEntity), (e:MedicalEntity) WHERE (e.id = x.id OR e.name = x.name) AND d.generated_by IS NOT NULL
       RETURN d.id AS id, r.sequence AS sequence, c.text AS text, e.id AS entity LIMIT 1`,
    )).records;
    expect(legacy).toBeDefined();
    const documentId = legacy?.get('id') as string;
    const [point] = await kit.search.chunks.retrieve([chunkPointId(documentId, neo4j.integer.toNumber(legacy?.get('sequence') as number))], true);
    expect(point?.payload).toMatchObject({ document_id: documentId, chunk_text: legacy?.get('text'), entity_ids: expect.arrayContaining([legacy?.get('entity')]) });
    expect(point?.vector).toHaveLength(kit.search.embedder.dimension);
    expect((await readDocumentMentions(kit.knowledge, [legacy?.get('entity') as string])).get(legacy?.get('entity') as string)).toContain(documentId);

    const again = await backfillDomain(kit, 'documents', { batchSize: 100, restart: true });
    expect(again.moved).toBe(0);
    const rerun = await verifyDomain(kit, 'documents', { sample: 0 });
    expect(rerun.kinds.map((kind) => kind.aggregates.postgres)).toEqual(report.kinds.map((kind) => kind.aggregates.postgres));
  }, 240_000);

  it('verify names a chunk whose text differs in Qdrant and a document whose title differs in PostgreSQL; the CLI exits 1', async () => {
    const [document] = (await world.sql.query<{ id: string; chunk_count: number }>('SELECT id, chunk_count FROM documents WHERE chunk_count > 0 ORDER BY id LIMIT 1')).rows;
    const documentId = document?.id as string;
    const [point] = await kit.search.chunks.retrieve([chunkPointId(documentId, 0)], true);
    if (!point) throw new Error('the chunk is not in Qdrant');
    await kit.search.chunks.upsert([{ ...point, payload: { ...point.payload, chunk_text: 'altered' } }]);
    await world.sql.query("UPDATE documents SET title = 'altered' WHERE id = $1", [documentId]);
    const verified = await migrate('verify', 'documents', '--json');
    expect(verified.code, verified.stderr).toBe(1);
    const [report] = JSON.parse(verified.stdout) as { kinds: { kind: string; differing: { id: string; fields: string[] }[] }[] }[];
    expect(report?.kinds.find((kind) => kind.kind === 'document')?.differing).toEqual([{ id: documentId, fields: ['title'] }]);
    expect(report?.kinds.find((kind) => kind.kind === 'chunk')?.differing).toEqual([{ id: `${documentId}#0`, fields: ['text'] }]);

    // legacy decides (stage legacy): reconcile puts both back as legacy has them
    const repaired = await migrate('reconcile', 'documents');
    expect(repaired.code, repaired.stdout + repaired.stderr).toBe(0);
    expect((await migrate('verify', 'documents')).code).toBe(0);
  }, 240_000);

  it('archives, cleans up and restores the documents domain to the checksum of before, knowledge graph untouched', async () => {
    const before = await digestDomain(world.legacy, 'documents');
    const entities = async () => neo4j.integer.toNumber((await world.legacy.executeQuery('MATCH (e:MedicalEntity) RETURN count(e) AS n')).records[0]?.get('n') as number);
    const entityCount = await entities();
    const dir = await mkdtemp(join(tmpdir(), 'documents-archive-'));
    const path = join(dir, 'documents.jsonl.gz');
    expect((await migrate('archive', 'documents', '--out', path)).code).toBe(0);
    for (const [stage, ...rest] of [['dual_write'], ['shadow'], ['live', '--rollout', '100'], ['rampdown']]) {
      const moved = await migrate('stage', 'documents', stage as string, ...rest);
      expect(moved.code, moved.stderr).toBe(0);
    }
    const cleaned = await migrate('cleanup', 'documents', '--archive', path, '--yes');
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(neo4j.integer.toNumber((await world.legacy.executeQuery('MATCH (n) WHERE n:Document OR n:Chunk OR n:DocumentQuality OR n:ExtractedEntity RETURN count(n) AS n')).records[0]?.get('n') as number)).toBe(0);
    expect(await entities()).toBe(entityCount);
    const restored = await migrate('restore', 'documents', '--archive', path);
    expect(restored.code, restored.stderr).toBe(0);
    expect((await digestDomain(world.legacy, 'documents')).checksum).toBe(before.checksum);
  }, 240_000);

  it('rolls back from complete: a document only PostgreSQL and Qdrant hold is copied back to legacy first', async () => {
    // ingested by the new system at `complete`: a row, its quality and one chunk, never in legacy
    const documentId = `doc:new-${world.run}`;
    await world.sql.query(`INSERT INTO documents (id, filename, title, status, chunk_count) VALUES ($1, 'new.md', 'Written at complete', 'completed', 1)`, [documentId]);
    await world.sql.query('INSERT INTO document_quality (document_id, composite_score) VALUES ($1, 0.8)', [documentId]);
    const [vector] = await kit.search.embedder.embed(['Psoriasis is followed up every 12 weeks.']);
    await kit.search.chunks.upsert([{ id: chunkPointId(documentId, 0), vector, payload: { document_id: documentId, chunk_index: 0, chunk_text: 'Psoriasis is followed up every 12 weeks.', headings: [], layer: 'PERCEPTION', quality_score: 0.8, entity_ids: [], entity_types: [], content_hash: 'x', created_at: new Date().toISOString() } }]);
    expect((await migrate('stage', 'documents', 'complete')).code).toBe(0);

    const rolled = await migrate('rollback', 'full', '--json');
    expect(rolled.code, rolled.stderr).toBe(0);
    const done = JSON.parse(rolled.stdout) as { domain: string; from: string; copiedBack: number }[];
    expect(done).toEqual([{ domain: 'documents', from: 'complete', copiedBack: 2, differences: 0 }]);
    const [copied] = (await world.legacy.executeQuery('MATCH (d:Document {id: $id})-[r:HAS_CHUNK]->(c:Chunk) RETURN d.title AS title, r.sequence AS sequence, c.text AS text', { id: documentId })).records;
    expect([copied?.get('title'), neo4j.integer.toNumber(copied?.get('sequence') as number), copied?.get('text')]).toEqual(['Written at complete', 0, 'Psoriasis is followed up every 12 weeks.']);
    const verified = await migrate('verify', 'documents');
    expect(verified.code, verified.stdout).toBe(0);
    expect((await world.sql.query<{ stage: string }>(`SELECT stage FROM migration_stages WHERE domain = 'documents'`)).rows[0]?.stage).toBe('legacy');
  }, 240_000);
});

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvent } from '../../lib/events.js';
import { countRows, errorCode, startHarness, type OperationsHarness } from './support.js';

const ingest = `mutation($input: IngestDocumentInput!) { ingestDocument(input: $input) { id filename title status chunkCount quality { compositeScore } } }`;
const documentQuery = `query($id: ID!) { document(id: $id) { status chunkCount quality { informationDensity compositeScore } } }`;

describe('operations: documents', () => {
  let h: OperationsHarness;
  let redis: Redis;
  let service: string;

  beforeAll(async () => {
    h = await startHarness();
    redis = new Redis(h.config.redis.url);
    service = await h.token('service');
  });
  afterAll(async () => {
    redis.disconnect();
    await h.stop();
  });

  async function waitForStatus(id: string, status: string): Promise<Record<string, unknown>> {
    for (let i = 0; i < 50; i += 1) {
      const result = await h.gql<{ document: Record<string, unknown> }>(documentQuery, { id }, service);
      if (result.data?.document.status === status) return result.data.document;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`document ${id} never became ${status}`);
  }

  it('ingestDocument creates a PENDING row and publishes the ingest request with the content', async () => {
    const result = await h.gql<{ ingestDocument: { id: string } }>(ingest, { input: { filename: `${h.run}.md`, title: 'Guide', content: '# Asthma\nInhalers.', source: 'test' } }, service);
    expect(result.errors).toBeUndefined();
    const doc = result.data!.ingestDocument;
    expect(doc).toMatchObject({ filename: `${h.run}.md`, title: 'Guide', status: 'PENDING', chunkCount: 0, quality: null });
    const entries = await redis.xrange(`${h.config.eventStreamPrefix}:documents:ingest`, '-', '+');
    expect(entries).toHaveLength(1);
    const fields = entries[0]![1];
    expect(fields.slice(0, 4)).toEqual(['id', `ingest:${doc.id}:1`, 'type', 'document.ingest.requested']);
    expect(JSON.parse(fields[5]!)).toEqual({ documentId: doc.id, filename: `${h.run}.md`, title: 'Guide', source: 'test', content: '# Asthma\nInhalers.' });
    expect(await countRows(h.sql, `SELECT count(*) FROM audit_logs WHERE entity_id = $1 AND action = 'document.ingest'`, [doc.id])).toBe(1);
  });

  it('result events move the document to PROCESSING then COMPLETED with quality, once, whatever the replays', async () => {
    const created = await h.gql<{ ingestDocument: { id: string } }>(ingest, { input: { filename: `${h.run}-2.md`, content: 'text' } }, service);
    const id = created.data!.ingestDocument.id;
    const stream = `${h.config.eventStreamPrefix}:documents:results`;
    await publishEvent(redis, stream, { id: `ingest-result:${id}:1:started`, type: 'document.ingest.started', payload: { documentId: id } });
    await waitForStatus(id, 'PROCESSING');
    const quality = { informationDensity: 0.5, structuralClarity: 0.6, entityCoherence: 0.7, contextSufficiency: 0.8, contextualRelevancy: 0.9, compositeScore: 0.75 };
    const completed = { id: `ingest-result:${id}:1:completed`, type: 'document.ingest.completed', payload: { documentId: id, chunkCount: 7, quality } };
    await publishEvent(redis, stream, completed);
    expect(await waitForStatus(id, 'COMPLETED')).toEqual({ status: 'COMPLETED', chunkCount: 7, quality: { informationDensity: 0.5, compositeScore: 0.75 } });
    // a replayed "started" and a replayed "completed" change nothing
    await publishEvent(redis, stream, { id: `ingest-result:${id}:1:started`, type: 'document.ingest.started', payload: { documentId: id } });
    await publishEvent(redis, stream, { ...completed, payload: { ...completed.payload, chunkCount: 99 } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await waitForStatus(id, 'COMPLETED')).toMatchObject({ chunkCount: 7 });
    expect(await countRows(h.sql, `SELECT count(*) FROM processed_events WHERE event_id LIKE $1`, [`ingest-result:${id}:%`])).toBe(2);
  });

  it('a failed ingest is recorded as FAILED', async () => {
    const created = await h.gql<{ ingestDocument: { id: string } }>(ingest, { input: { filename: `${h.run}-3.md`, content: 'text' } }, service);
    const id = created.data!.ingestDocument.id;
    await publishEvent(redis, `${h.config.eventStreamPrefix}:documents:results`, { id: `ingest-result:${id}:1:failed`, type: 'document.ingest.failed', payload: { documentId: id, reason: 'empty' } });
    await waitForStatus(id, 'FAILED');
    const { rows } = await h.sql.query(`SELECT failure_reason FROM documents WHERE id = $1`, [id]);
    expect(rows).toEqual([{ failure_reason: 'empty' }]);
  });

  it('lists documents by status with pagination to every role, refuses bad input and writes by patients', async () => {
    const list = await h.gql<{ documents: { totalCount: number; edges: unknown[] } }>(`{ documents(status: FAILED, first: 1) { totalCount edges { node { id } } pageInfo { hasNextPage } } }`, {}, service);
    expect(list.errors).toBeUndefined();
    expect(list.data?.documents.edges).toHaveLength(1);
    const asPatient = await h.gql<{ documents: { totalCount: number } }>(`{ documents(status: FAILED, first: 1) { totalCount } }`, {}, await h.token('patient', 'p1'));
    expect(asPatient.data?.documents.totalCount).toBe(list.data?.documents.totalCount);
    const before = await countRows(h.sql, `SELECT count(*) FROM documents WHERE filename LIKE $1`, [`${h.run}%`]);
    expect(errorCode(await h.gql(ingest, { input: { filename: ' ', content: 'x' } }, service))).toBe('BAD_USER_INPUT');
    expect(errorCode(await h.gql(ingest, { input: { filename: `${h.run}-big`, content: 'x'.repeat(1_000_001) } }, service))).toBe('BAD_USER_INPUT');
    expect(errorCode(await h.gql(ingest, { input: { filename: `${h.run}-p`, content: 'x' } }, await h.token('patient', 'p1')))).toBe('FORBIDDEN');
    expect(await countRows(h.sql, `SELECT count(*) FROM documents WHERE filename LIKE $1`, [`${h.run}%`])).toBe(before);
  });
});

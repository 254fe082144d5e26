import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Config } from '../../lib/config.js';
import { createRandom } from '../../lib/seeded-random.js';
import { createRedis } from '../../lib/redis.js';
import { generateSeedGraph } from '../../subgraphs/knowledge/seed/generate.js';
import { normalizeQuery, queryCacheKey } from '../../subgraphs/search/embedder/query-embedder.js';
import { createChunkStore } from '../../subgraphs/search/store/chunk-store.js';
import { createCollectionNames, createQdrantClient } from '../../subgraphs/search/store/qdrant.js';
import { markChunksChanged } from '../../subgraphs/search/store/passage-memo.js';
import { maxQueryChars } from '../../subgraphs/search/validation.js';
import { countDataset, loadDataset, volumes } from '../operations/dataset.js';
import { benchDocumentId, createUnitVector, fillChunkPoints } from '../search/chunk-points.js';
import type { BenchSession } from './traffic.js';

const chunkPoints = 100_000;
const useModel = { name: 'universal-sentence-encoder-en', dimension: 512 };
/** Bench vectors in the query-vector cache expire on their own: an interrupted run leaves nothing for long. */
const vectorTtlSeconds = 3600;

/**
 * The benchmark's data, over the demo knowledge graph (`npm start` seeds it): in the bench's own
 * PostgreSQL database, 10,000 sessions of the 40 demo patients with 200,000 messages that mention
 * demo entities and 50,000 feedback, reloaded every run so every run starts from the same state;
 * 1,000 documents with quality scores; 100,000 chunk points of those documents in the bench's own
 * Qdrant collections (kept between runs, filled when short). Returns the sessions for the traffic.
 */
export async function prepareDataset(config: Config): Promise<BenchSession[]> {
  const seed = generateSeedGraph(1);
  const pool = new pg.Pool({ connectionString: config.postgres.url, max: 2 });
  const client = await pool.connect();
  try {
    const started = performance.now();
    await loadDataset(client, { patientIds: seed.patients.map((patient) => patient.id), entityIds: seed.entities.map((entity) => entity.id) });
    await loadDocuments(client);
    console.log(`bench: PostgreSQL data loaded in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(await countDataset(client))}`);
    await fillChunks(config, seed.entities.map((entity) => entity.id));
    return await readSessions(client);
  } finally {
    client.release();
    await pool.end();
  }
}

async function loadDocuments(client: pg.PoolClient): Promise<void> {
  const ids = Array.from({ length: 1000 }, (_, index) => benchDocumentId(index));
  await client.query(
    `INSERT INTO documents (id, filename, title, status, chunk_count)
     SELECT id, id || '.md', 'Guideline ' || id, 'completed', 100 FROM unnest($1::text[]) AS id ON CONFLICT (id) DO NOTHING`,
    [ids],
  );
  await client.query(
    `INSERT INTO document_quality (document_id, composite_score)
     SELECT id, (hashtext(id)::bigint & 1023) / 1023.0 FROM unnest($1::text[]) AS id ON CONFLICT (document_id) DO NOTHING`,
    [ids],
  );
}

async function fillChunks(config: Config, entityIds: readonly string[]): Promise<void> {
  const qdrant = createQdrantClient(config.qdrant, 120_000);
  const collection = createCollectionNames(config.qdrant.collectionPrefix).chunks;
  const present = (await qdrant.count(collection, { exact: true })).count;
  if (present >= chunkPoints) {
    console.log(`bench: ${present} chunk points already present`);
    return;
  }
  const redis = createRedis(config.redis.url, 'bench-realistic');
  try {
    await fillChunkPoints(createChunkStore(qdrant, collection, () => markChunksChanged(redis, collection)), { from: present, total: chunkPoints, dimension: useModel.dimension, entityIds });
  } finally {
    redis.disconnect();
  }
}

async function readSessions(client: pg.PoolClient): Promise<BenchSession[]> {
  const { rows } = await client.query<{ id: string; patient_id: string; status: string; response_ids: string[] }>(
    `SELECT s.id, s.patient_id, s.status, coalesce(array_agg(m.response_id ORDER BY m.created_at) FILTER (WHERE m.response_id IS NOT NULL), '{}') AS response_ids
     FROM sessions s LEFT JOIN messages m ON m.session_id = s.id GROUP BY s.id`,
  );
  if (rows.length !== volumes.sessions) throw new Error(`expected ${volumes.sessions} sessions, found ${rows.length}`);
  return rows.map((row) => ({ id: row.id, patientId: row.patient_id, active: row.status === 'active', responseIds: row.response_ids }));
}

/**
 * Puts a vector for every message's text in the search subgraph's query-vector cache, as a
 * deployment that has read its messages before holds them: the measured reads then pay for
 * fetching vectors, not for running the embedding model over 200,000 texts (the model runs only
 * for messages posted during the run). The vectors are seeded random unit vectors, like the chunks'.
 */
export async function cacheMessageVectors(config: Config): Promise<void> {
  const started = performance.now();
  const pool = new pg.Pool({ connectionString: config.postgres.url, max: 1 });
  const redis = createRedis(config.redis.url, 'bench-realistic');
  const random = createRandom(7);
  try {
    const { rows } = await pool.query<{ content: string }>('SELECT DISTINCT content FROM messages');
    for (let from = 0; from < rows.length; from += 1000) {
      const pipeline = redis.pipeline();
      for (const { content } of rows.slice(from, from + 1000)) {
        const key = queryCacheKey(useModel.name, normalizeQuery(content.trim().slice(0, maxQueryChars)));
        pipeline.set(key, Buffer.from(new Float32Array(createUnitVector(random, useModel.dimension)).buffer), 'EX', vectorTtlSeconds);
      }
      await pipeline.exec();
    }
    console.log(`bench: ${rows.length} message vectors cached in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    redis.disconnect();
    await pool.end();
  }
}

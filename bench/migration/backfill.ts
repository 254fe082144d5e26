import { cpus, loadavg } from 'node:os';
import { backfillDomain } from '../../migration/backfill/domain-backfills.js';
import { LatencyThrottle } from '../../migration/backfill/throttle.js';
import { unlinkDocumentMentions } from '../../subgraphs/knowledge/store/document-mentions.js';
import { foreignLegacyRecords, removeLegacyDataset, writeLegacyDataset } from '../../migration/legacy/dataset/write-dataset.js';
import { openMigrationToolkit } from '../../migration/toolkit.js';
import { verifyDomain } from '../../migration/verify/verify-domain.js';
import { prepareBenchConfig } from '../operations/bench-database.js';

/**
 * Backfill and verification benchmark (not a test): writes 10,000 legacy sessions (about
 * 200,000 messages and 50,000 feedback, and 500 documents) into the legacy store, backfills them
 * into a PostgreSQL database and Qdrant collections of its own (`<db>_bench_migration`,
 * `bench_migration_*`) and verifies every domain; prints records per second of each (documents
 * apart: their chunks are embedded again, which the goals below do not count). Goals on this machine: the backfill under 60 s, the
 * verification under 30 s. It refuses to run when the legacy store holds data it did not write.
 */
const tag = 'bench-backfill';
const sessions = Number(process.argv[process.argv.indexOf('--sessions') + 1]) || 10_000;
const config = await prepareBenchConfig('migration');
const kit = await openMigrationToolkit(config);
/** The knowledge graph's links to the benchmark's documents, and their chunks. */
const forgetDocuments = async () => {
  const documentIds = (await kit.pool.query<{ id: string }>('SELECT id FROM documents')).rows.map((row) => row.id);
  await unlinkDocumentMentions(kit.knowledge, documentIds);
  if (await kit.search.chunks.isAvailable()) await kit.search.chunks.deleteDocuments(documentIds);
};
try {
  const foreign = await foreignLegacyRecords(kit.legacy, tag);
  if (foreign > 0) throw new Error(`the legacy store holds ${foreign} session, message, feedback or document nodes this benchmark did not write, or changes waiting for a relay: run it against a legacy store of its own (LEGACY_NEO4J_URI)`);
  await removeLegacyDataset(kit.legacy, tag);
  await forgetDocuments();
  await kit.pool.query('TRUNCATE sessions, messages, feedback, preference_pairs, documents, document_quality, migration_backfills, migration_problems, migration_verifications CASCADE');
  let started = Date.now();
  const written = await writeLegacyDataset(kit.legacy, { tag, seed: 2026, sessions, feedbackShare: 0.5, concepts: { ids: [], names: ['Psoriasis', 'Crohn disease', 'Lupus'] } });
  console.log(`legacy dataset: ${written.sessions} sessions, ${written.messages} messages (${written.orphanMessages} orphans), ${written.feedback} feedback, ${written.documents} documents (${written.chunks} chunks), written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
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
    (await measure('backfill sessions + messages', written.sessions + written.messages, () => backfillDomain(kit, 'sessions', { batchSize: 100, restart: true, throttle }))) +
    (await measure('backfill feedback', written.feedback, () => backfillDomain(kit, 'feedback', { batchSize: 100, restart: true, throttle })));
  const throttledMs = throttle.pausedMs;
  const documentsSeconds = await measure('backfill documents (chunks re-embedded)', written.documents + written.chunks, () => backfillDomain(kit, 'documents', { batchSize: 100, restart: true, throttle }));
  const verifySeconds =
    (await measure('verify sessions + messages', written.sessions + written.messages, () => verifyDomain(kit, 'sessions', { sample: 100 }))) +
    (await measure('verify feedback', written.feedback, () => verifyDomain(kit, 'feedback', { sample: 100 })));
  const verifyDocumentsSeconds = await measure('verify documents + chunks', written.documents + written.chunks, () => verifyDomain(kit, 'documents', { sample: 100 }));
  console.log('\n| step | records | seconds | records/s |\n|---|---:|---:|---:|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(`\nbackfill ${backfillSeconds.toFixed(1)} s (goal < 60 s; ${(throttledMs / 1000).toFixed(1)} s of it paused by the throttle), verification ${verifySeconds.toFixed(1)} s (goal < 30 s)`);
  console.log(`documents: backfill ${documentsSeconds.toFixed(1)} s, verification ${verifyDocumentsSeconds.toFixed(1)} s`);
  await forgetDocuments();
  await removeLegacyDataset(kit.legacy, tag);
} finally {
  await kit.close();
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../../subgraphs/operations/store/index.js';
import { writeArchive } from '../archive/archive-file.js';
import { cleanupDomain, cleanupRefusals } from '../archive/cleanup.js';
import { digestDomain } from '../archive/domain-graph.js';
import { restoreDomain } from '../archive/restore.js';
import { backfillDomain } from '../backfill/domain-backfills.js';
import { unlinkDocumentMentions } from '../../subgraphs/knowledge/store/document-mentions.js';
import { foreignLegacyRecords, knowledgeConcepts, removeLegacyDataset, writeLegacyDataset } from '../legacy/dataset/write-dataset.js';
import { ensureStages } from '../stages/initial-stages.js';
import type { MigrationDomain, MigrationStage } from '../stages/stage-rules.js';
import { reportedRecords } from '../store/backfill-store.js';
import { changeStage } from '../store/stage-store.js';
import { stageChangeContext } from '../stages/stage-context.js';
import { SafetyGateRefusal } from '../safety-gate.js';
import type { MigrationToolkit } from '../toolkit.js';
import { verifyDomain } from '../verify/verify-domain.js';

/**
 * The whole plan on a generated legacy dataset, phase by phase: stages forward, backfill,
 * verify, the read switch, archive, cleanup, restore, and the rollback to `legacy`; each step
 * timed and checked, ending with a report. It runs in a PostgreSQL database and Qdrant
 * collections of its own, and refuses a legacy store that holds session, message or feedback data it did not generate.
 */

export const rehearsalTag = 'migration-rehearsal';
const domains = ['sessions', 'feedback', 'documents'] as const satisfies readonly MigrationDomain[];

export interface RehearsalStep {
  phase: string;
  step: string;
  seconds: number;
  outcome: string;
  ok: boolean;
}

export interface RehearsalReport {
  sessions: number;
  steps: RehearsalStep[];
  reportedByReason: Record<string, number>;
  ok: boolean;
}

const rehearser: Actor = { sub: 'cli:rehearsal', role: 'admin' };

/** The knowledge graph's links to the rehearsal's documents, and its Qdrant points, go when it ends. */
async function forgetRehearsedDocuments(kit: MigrationToolkit): Promise<void> {
  const documentIds = (await kit.pool.query<{ id: string }>('SELECT id FROM documents')).rows.map((row) => row.id);
  await unlinkDocumentMentions(kit.knowledge, documentIds);
  if (await kit.search.chunks.isAvailable()) await kit.search.chunks.deleteDocuments(documentIds);
}

export async function rehearse(kit: MigrationToolkit, options: { sessions: number; log: (line: string) => void }): Promise<RehearsalReport> {
  const foreign = await foreignLegacyRecords(kit.legacy, rehearsalTag);
  if (foreign > 0) throw new SafetyGateRefusal('the rehearsal', [`the legacy store holds ${foreign} session, message, feedback or document nodes the rehearsal did not generate, or changes waiting for another deployment's relay: rehearse against a legacy store of its own (LEGACY_NEO4J_URI)`]);
  const steps: RehearsalStep[] = [];
  const step = async (phase: string, name: string, work: () => Promise<{ outcome: string; ok: boolean }>) => {
    const started = Date.now();
    const result = await work();
    const done = { phase, step: name, seconds: (Date.now() - started) / 1000, ...result };
    steps.push(done);
    options.log(`${result.ok ? 'ok  ' : 'FAIL'} ${phase.padEnd(22)} ${name.padEnd(34)} ${done.seconds.toFixed(1).padStart(6)} s  ${result.outcome}`);
    if (!result.ok) throw new Error(`rehearsal step failed: ${phase}: ${name}: ${result.outcome}`);
  };
  const move = (domain: MigrationDomain, stage: MigrationStage, rolloutPercent: number | null = null) =>
    step('stages', `${domain} → ${stage}${rolloutPercent === null ? '' : ` ${rolloutPercent}%`}`, async () => {
      const changed = await changeStage(kit.db, rehearser, domain, { stage, rolloutPercent, force: false }, stageChangeContext(kit.legacy));
      return { outcome: `version ${changed.stage.version}`, ok: changed.stage.stage === stage };
    });
  const directory = await mkdtemp(join(tmpdir(), 'rehearsal-'));
  try {
    await removeLegacyDataset(kit.legacy, rehearsalTag);
    await forgetRehearsedDocuments(kit);
    await kit.pool.query('TRUNCATE sessions, messages, feedback, preference_pairs, documents, document_quality, migration_backfills, migration_problems, migration_verifications, migration_stages, migration_changes, migration_applied_changes CASCADE');
    await step('0 prepare', 'generate the legacy dataset', async () => {
      // feedback points at real knowledge-graph entities where there are some (ABOUT_ENTITY): the archive must name, never copy, them
      const written = await writeLegacyDataset(kit.legacy, { tag: rehearsalTag, seed: 1, sessions: options.sessions, concepts: await knowledgeConcepts(kit.legacy) });
      return { outcome: `${written.sessions} sessions, ${written.messages} messages (${written.orphanMessages} orphans), ${written.feedback} feedback, ${written.documents} documents (${written.chunks} chunks)`, ok: true };
    });
    await step('0 prepare', 'first stages', async () => {
      const stages = await ensureStages(kit.db, kit.legacy, { sessions: undefined, feedback: undefined, documents: undefined });
      return { outcome: domains.map((domain) => `${domain} ${stages[domain].stage}`).join(', '), ok: domains.every((domain) => stages[domain].stage === 'legacy') };
    });
    for (const domain of domains) await move(domain, 'dual_write');
    const before: Record<string, string> = {};
    for (const domain of domains) before[domain] = (await digestDomain(kit.legacy, domain)).checksum;
    for (const domain of domains) {
      await step(domain === 'documents' ? '5 backfill' : '2 backfill', domain, async () => {
        const row = await backfillDomain(kit, domain, { batchSize: 100, restart: false });
        return { outcome: `${row.read} read, ${row.moved} moved, ${row.reported} reported`, ok: row.status === 'finished' };
      });
    }
    for (const domain of domains) {
      await step(domain === 'documents' ? '5 verify' : '2 verify', domain, async () => {
        const report = await verifyDomain(kit, domain, { sample: 100 });
        return { outcome: `${report.consistent ? 'consistent' : 'NOT consistent'}: ${report.kinds.map((kind) => `${kind.postgres}/${kind.legacy} ${kind.kind}s`).join(', ')}, ${report.reported.length} reported, ${report.sample.size} sampled`, ok: report.consistent };
      });
    }
    for (const domain of domains) await move(domain, 'shadow');
    for (const [stage, rollout] of [['live', 10], ['live', 50], ['live', 100], ['rampdown', null]] as const) for (const domain of domains) await move(domain, stage, rollout);
    for (const domain of domains) {
      const path = join(directory, `${domain}.jsonl.gz`);
      await step('6 archive', domain, async () => {
        const manifest = await writeArchive(kit.legacy, domain, path);
        return { outcome: `${Object.values(manifest.counts).reduce((sum, count) => sum + count, 0)} nodes and relationships, checksum ${manifest.checksum.slice(0, 12)}`, ok: manifest.checksum === before[domain] };
      });
      await step('6 cleanup', domain, async () => {
        const refusals = await cleanupRefusals(kit.db, kit.legacy, domain, path);
        if (refusals.length > 0) return { outcome: refusals.join('; '), ok: false };
        const result = await cleanupDomain(kit.db, kit.legacy, domain, path, { batchSize: 5000 });
        return { outcome: `${result.deleted} nodes deleted`, ok: (await digestDomain(kit.legacy, domain)).checksum !== before[domain] };
      });
    }
    for (const domain of [...domains].reverse()) {
      await step('5.2 rollback', `restore ${domain}`, async () => {
        const restored = await restoreDomain(kit.legacy, domain, join(directory, `${domain}.jsonl.gz`));
        return { outcome: `${restored.nodes} nodes, ${restored.relationships} relationships, checksum ${restored.matchesArchive ? 'as before' : 'DIFFERENT'}`, ok: restored.matchesArchive && restored.unresolved.length === 0 };
      });
    }
    // feedback goes back first: it may not be ahead of sessions
    for (const domain of ['feedback', 'sessions', 'documents'] as const) await move(domain, 'legacy');
    const reportedByReason: Record<string, number> = {};
    for (const domain of domains) {
      for (const record of await reportedRecords(kit.db, domain)) {
        const reason = `${record.recordKind}: ${record.reason.replace(/session:[\w-]+/g, '<session>')}`;
        reportedByReason[reason] = (reportedByReason[reason] ?? 0) + 1;
      }
    }
    return { sessions: options.sessions, steps, reportedByReason, ok: steps.every((done) => done.ok) };
  } finally {
    await forgetRehearsedDocuments(kit).catch(() => undefined);
    await removeLegacyDataset(kit.legacy, rehearsalTag).catch(() => undefined);
    await rm(directory, { recursive: true, force: true });
  }
}

import { writeFile } from 'node:fs/promises';
import { backfillDomain } from '../backfill/domain-backfills.js';
import { knowledgeConcepts, writeLegacyDataset } from '../legacy/dataset/write-dataset.js';
import { migrationStatus } from '../status.js';
import { ensureStages } from '../stages/initial-stages.js';
import { stageChangeContext } from '../stages/stage-context.js';
import { changeStage } from '../store/stage-store.js';
import { verifyDomain } from '../verify/verify-domain.js';
import { UsageError, type MigrateArguments } from './arguments.js';
import { archive, cleanup, rehearseCommand, restore } from './archive-commands.js';
import type { Command } from './command.js';
import { reconcile, rollbackCommand } from './repair-commands.js';
import { verificationMarkdown } from './verification-markdown.js';

const operator = () => ({ sub: `cli:${process.env.USER ?? 'operator'}`, role: 'admin' as const });

const status: Command = async (kit, args, out) => {
  await ensureStages(kit.db, kit.legacy, kit.config.migration.initialDualWrite);
  const statuses = await migrationStatus(kit.db, kit.legacy, args.domains);
  out.result(statuses);
  for (const domain of statuses) {
    out.line(`${domain.domain}: ${domain.stage}${domain.rolloutPercent === null ? '' : ` (${domain.rolloutPercent}% of patients)`}, changed by ${domain.updatedBy} at ${domain.updatedAt.toISOString()}`);
    for (const record of domain.records) out.line(`  ${record.kind.padEnd(10)} legacy ${record.legacy ?? 'unreachable'}, PostgreSQL ${record.postgres}`);
    out.line(`  changes waiting: ${domain.changes.toPostgres?.pending ?? '?'} for PostgreSQL, ${domain.changes.toLegacy.pending} for legacy`);
    const backfill = domain.backfill;
    out.line(backfill ? `  backfill: ${backfill.status}, ${backfill.read}/${backfill.total ?? '?'} read, ${backfill.moved} moved, ${backfill.reported} reported, checkpoint ${backfill.checkpoint ?? '(start)'}` : '  backfill: never run');
    out.line(domain.verification ? `  last verification: ${domain.verification.consistent ? 'consistent' : `${domain.verification.differences} differences`} (${domain.verification.finishedAt.toISOString()})` : '  last verification: none');
  }
  return 0;
};

const stage: Command = async (kit, args, out) => {
  const [domain] = args.domains;
  if (!domain || !args.stage) throw new UsageError('stage needs a domain and a stage');
  await ensureStages(kit.db, kit.legacy, kit.config.migration.initialDualWrite);
  const result = await changeStage(kit.db, operator(), domain, { stage: args.stage, rolloutPercent: args.stage === 'live' ? (args.rollout ?? 0) : null, force: args.force }, stageChangeContext(kit.legacy));
  out.result(result);
  out.line(result.changed ? `${domain} is now at ${result.stage.stage} (version ${result.stage.version}); every replica follows within a second` : `${domain} already is at ${result.stage.stage}`);
  return 0;
};

const backfill: Command = async (kit, args, out) => {
  const results = [];
  for (const domain of args.domains) {
    const row = await backfillDomain(kit, domain, { batchSize: args.batchSize, restart: args.restart, onProgress: out.progress });
    results.push(row);
    out.line(`${domain}: ${row.read} read, ${row.moved} moved, ${row.unchanged} already there, ${row.reported} reported (npm run migrate -- verify ${domain} --report report.md names them)`);
  }
  out.result(results);
  return results.some((row) => row.reported > 0) ? 1 : 0;
};

const verify: Command = async (kit, args, out) => {
  const reports = [];
  // one domain after the other: together they only compete for the same two cores (measured)
  for (const domain of args.domains) {
    const report = await verifyDomain(kit, domain, { sample: args.sample });
    reports.push(report);
    for (const kind of report.kinds) out.line(`${report.domain} ${kind.kind}s: legacy ${kind.legacy}, PostgreSQL ${kind.postgres}, ${kind.missing.length} missing, ${kind.extra.length} extra, ${kind.differing.length} differing`);
    out.line(`${report.domain}: ${report.consistent ? 'consistent' : 'NOT consistent'} (${report.orphans.length} orphans, ${report.unreadable.length} unreadable, ${report.reported.length} reported by the backfill, ${report.sample.size} sampled)`);
  }
  if (args.report) {
    await writeFile(args.report, verificationMarkdown(reports));
    out.line(`report written to ${args.report}`);
  }
  out.result(reports);
  return reports.every((report) => report.consistent) ? 0 : 1;
};

const seedLegacy: Command = async (kit, args, out) => {
  const written = await writeLegacyDataset(kit.legacy, { tag: 'seed-legacy', seed: Date.now() % 100_000, sessions: args.sessions, concepts: await knowledgeConcepts(kit.legacy) }, (progress) => out.line(`written: ${progress.sessions}/${args.sessions} sessions, ${progress.messages} messages, ${progress.feedback} feedback`));
  out.result(written);
  return 0;
};

export const commandTable: Record<MigrateArguments['command'], Command> = { status, stage, backfill, verify, reconcile, archive, cleanup, restore, rollback: rollbackCommand, rehearse: rehearseCommand, 'seed-legacy': seedLegacy };

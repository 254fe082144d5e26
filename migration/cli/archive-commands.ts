import { writeArchive } from '../archive/archive-file.js';
import { cleanupDomain } from '../archive/cleanup.js';
import { restoreDomain } from '../archive/restore.js';
import { prepareSideDatabase } from '../../subgraphs/operations/store/index.js';
import { rehearse } from '../rehearsal/rehearse.js';
import { openMigrationToolkit } from '../toolkit.js';
import { UsageError, type MigrateArguments } from './arguments.js';
import type { Command } from './command.js';

/** archive, cleanup and restore (the seed's phase 6 and its way back), and the rehearsal of the whole plan. */

const single = (args: MigrateArguments) => {
  const [domain] = args.domains;
  if (!domain) throw new UsageError(`${args.command} needs a domain`);
  return domain;
};

export const archive: Command = async (kit, args, out) => {
  const domain = single(args);
  const manifest = await writeArchive(kit.legacy, domain, args.out ?? '', (items) => out.line(`${domain}: ${items} nodes and relationships archived...`));
  out.result(manifest);
  out.line(`${domain} archived to ${args.out}: ${Object.entries(manifest.counts).map(([kind, count]) => `${count} ${kind}`).join(', ')}; checksum ${manifest.checksum}`);
  return 0;
};

export const cleanup: Command = async (kit, args, out) => {
  const domain = single(args);
  if (!args.yes) throw new UsageError(`cleanup deletes the legacy ${domain} data: add --yes to confirm`);
  const result = await cleanupDomain(kit.db, kit.legacy, domain, args.archive ?? '', { batchSize: 5000, progress: (deleted) => out.line(`${domain}: ${deleted} nodes deleted`) });
  out.result(result);
  out.line(`${domain}: ${result.deleted} legacy nodes deleted. What remains in the legacy store:`);
  for (const remaining of result.remaining) out.line(`  ${remaining.labels.join(':').padEnd(40)} ${remaining.count}`);
  return 0;
};

export const restore: Command = async (kit, args, out) => {
  const domain = single(args);
  const result = await restoreDomain(kit.legacy, domain, args.archive ?? '', (done) => out.line(`${domain}: ${done} restored...`));
  out.result(result);
  out.line(`${domain}: ${result.nodes} nodes and ${result.relationships} relationships restored; checksum ${result.matchesArchive ? 'equals the archive\'s' : 'DIFFERS from the archive\'s'}`);
  for (const missing of result.unresolved) out.line(`  not restored: ${missing}`);
  return result.matchesArchive && result.unresolved.length === 0 ? 0 : 1;
};

export const rehearseCommand: Command = async (kit, args, out) => {
  const url = await prepareSideDatabase(kit.config.postgres.url, 'rehearsal');
  const rehearsal = await openMigrationToolkit({ ...kit.config, postgres: { ...kit.config.postgres, url }, qdrant: { ...kit.config.qdrant, collectionPrefix: `${kit.config.qdrant.collectionPrefix}rehearsal_` } });
  try {
    out.line(`rehearsing the move with ${args.sessions} generated legacy sessions (PostgreSQL: ${new URL(url).pathname.slice(1)}, Qdrant: ${rehearsal.config.qdrant.collectionPrefix}*, legacy: ${kit.config.migration.legacy.uri})`);
    const report = await rehearse(rehearsal, { sessions: args.sessions, log: out.line });
    out.result(report);
    out.line(`\nrecords the backfill reported (moved as they are otherwise):`);
    for (const [reason, count] of Object.entries(report.reportedByReason).sort((a, b) => b[1] - a[1])) out.line(`  ${String(count).padStart(5)}  ${reason}`);
    out.line(`\nrehearsal ${report.ok ? 'passed' : 'FAILED'}: ${report.steps.length} steps in ${report.steps.reduce((sum, step) => sum + step.seconds, 0).toFixed(1)} s`);
    return report.ok ? 0 : 1;
  } finally {
    await rehearsal.close();
  }
};

import { parseArgs } from 'node:util';
import { rollbackPhases, type RollbackPhase } from '../reconcile/rollback.js';
import { migrationDomains, migrationStages, type MigrationDomain, type MigrationStage } from '../stages/stage-rules.js';

/** `npm run migrate -- <command> [domain] [options]`: what the operator asked for, checked. */

export const commands = ['status', 'stage', 'backfill', 'verify', 'reconcile', 'archive', 'cleanup', 'restore', 'rollback', 'rehearse', 'seed-legacy'] as const;
export type CommandName = (typeof commands)[number];

export interface MigrateArguments {
  command: CommandName;
  domains: MigrationDomain[];
  stage: MigrationStage | undefined;
  json: boolean;
  rollout: number | undefined;
  force: boolean;
  batchSize: number;
  restart: boolean;
  sample: number;
  report: string | undefined;
  sessions: number;
  out: string | undefined;
  archive: string | undefined;
  yes: boolean;
  dryRun: boolean;
  phase: RollbackPhase | undefined;
}

/** Bad usage: exit code 2, with the message and the usage text. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const usage = `usage: npm run migrate -- <command> [domain] [options]
  status [domain|all] [--json]                      stage, counts, backfill checkpoint, last verification
  stage <domain> <stage> [--rollout N] [--force]    change a domain's stage (same rules as setMigrationStage)
  backfill <domain|all> [--batch-size 100] [--restart]
                                                    copy legacy records to PostgreSQL, resuming from the checkpoint
  verify <domain|all> [--sample 100] [--json] [--report PATH.md]
                                                    compare the stores (exit 1 when they differ)
  reconcile <domain|all> [--dry-run]                repair what verify found, from the authoritative store of the stage
  archive <domain> --out PATH                       write the domain's legacy nodes and relationships (JSON Lines, gzip) and a manifest
  cleanup <domain> --archive PATH --yes             delete the domain's legacy data in batches, past its safety gates
  restore <domain> --archive PATH                   put archived legacy data back, identical
  rollback <phase>                                  the seed's 5.2 procedures: 1-3 (sessions), 4 (feedback), full
  rehearse [--sessions 500]                         the whole plan on a generated legacy dataset, in a database of its own, with a report
  seed-legacy [--sessions 200]                      write a generated legacy dataset (npm run seed:legacy)
domains: ${migrationDomains.join(', ')}, all    stages: ${migrationStages.join(', ')}
exit codes: 0 done and consistent, 1 records differ or failed, 2 bad usage or configuration, 3 refused by a safety gate`;

function count(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${text}")`);
  return value;
}

function required(needed: boolean, name: string, value: string | undefined): string | undefined {
  if (needed && !value) throw new UsageError(`--${name} PATH is needed`);
  return value;
}

function domainsOf(text: string | undefined, command: CommandName, allowAll: boolean): MigrationDomain[] {
  if (text === undefined || (text === 'all' && allowAll)) {
    if (text === undefined && command !== 'status') throw new UsageError(`${command} needs a domain: ${migrationDomains.join(', ')}${allowAll ? ' or all' : ''}`);
    return [...migrationDomains];
  }
  if (!(migrationDomains as readonly string[]).includes(text)) throw new UsageError(`unknown domain "${text}": use ${migrationDomains.join(', ')}${allowAll ? ' or all' : ''}`);
  return [text as MigrationDomain];
}

export function parseMigrateArguments(argv: readonly string[]): MigrateArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        rollout: { type: 'string' },
        force: { type: 'boolean', default: false },
        'batch-size': { type: 'string' },
        restart: { type: 'boolean', default: false },
        sample: { type: 'string' },
        report: { type: 'string' },
        sessions: { type: 'string' },
        out: { type: 'string' },
        archive: { type: 'string' },
        yes: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [command, first, second, ...rest] = parsed.positionals;
  if (!command) throw new UsageError('a command is needed');
  if (!(commands as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}"`);
  const name = command as CommandName;
  const allowedPositionals = name === 'stage' ? 2 : name === 'seed-legacy' || name === 'rehearse' ? 0 : 1;
  const withoutDomain = name === 'seed-legacy' || name === 'rehearse' || name === 'rollback';
  if (name === 'rollback' && !(first && first in rollbackPhases)) throw new UsageError(`rollback needs a phase: ${Object.keys(rollbackPhases).join(', ')}`);
  if ([first, second, ...rest].filter((value) => value !== undefined).length > allowedPositionals) throw new UsageError(`${name} takes ${allowedPositionals} argument${allowedPositionals === 1 ? '' : 's'} before its options`);
  let stage: MigrationStage | undefined;
  if (name === 'stage') {
    if (!second || !(migrationStages as readonly string[]).includes(second)) throw new UsageError(`stage needs a stage after the domain: ${migrationStages.join(', ')}`);
    stage = second as MigrationStage;
  }
  const { values } = parsed;
  return {
    command: name,
    domains: withoutDomain ? [] : domainsOf(first, name, !['stage', 'archive', 'cleanup', 'restore'].includes(name)),
    stage,
    json: values.json ?? false,
    rollout: values.rollout === undefined ? undefined : count('rollout', values.rollout, 0, 0, 100),
    force: values.force ?? false,
    batchSize: count('batch-size', values['batch-size'], 100, 1, 10_000),
    restart: values.restart ?? false,
    sample: count('sample', values.sample, 100, 0, 100_000),
    report: values.report,
    sessions: count('sessions', values.sessions, name === 'rehearse' ? 500 : 200, 1, 1_000_000),
    out: required(name === 'archive', 'out', values.out),
    archive: required(name === 'cleanup' || name === 'restore', 'archive', values.archive),
    yes: values.yes ?? false,
    dryRun: values['dry-run'] ?? false,
    phase: name === 'rollback' ? (first as RollbackPhase) : undefined,
  };
}

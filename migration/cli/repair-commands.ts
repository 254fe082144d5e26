import { reconcileDomain } from '../reconcile/reconcile.js';
import { rollback } from '../reconcile/rollback.js';
import { UsageError } from './arguments.js';
import type { Command } from './command.js';

/** reconcile and rollback: putting the stores back in agreement, and legacy back in charge. */

export const reconcile: Command = async (kit, args, out) => {
  const outcomes = [];
  for (const domain of args.domains) {
    const outcome = await reconcileDomain(kit, domain, { dryRun: args.dryRun });
    outcomes.push(outcome);
    out.line(`${domain} (${outcome.direction}): ${args.dryRun ? 'would repair' : 'repaired'} ${outcome.repaired.length} records, left ${outcome.left.length}`);
    for (const left of outcome.left) out.line(`  left: ${left.kind} ${left.id}: ${left.why}`);
    if (!args.dryRun) out.line(`  now ${outcome.verification.consistent ? 'consistent' : 'NOT consistent'}`);
  }
  out.result(outcomes);
  const clean = outcomes.every((outcome) => (args.dryRun ? outcome.repaired.length === 0 : outcome.verification.consistent) && outcome.left.length === 0);
  return clean ? 0 : 1;
};

export const rollbackCommand: Command = async (kit, args, out) => {
  if (!args.phase) throw new UsageError('rollback needs a phase');
  const done = await rollback(kit, args.phase, out.line);
  out.result(done);
  return 0;
};

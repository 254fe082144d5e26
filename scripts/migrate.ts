import { ConfigError, loadConfig } from '../lib/config.js';
import { AppError } from '../lib/errors.js';
import { SafetyGateRefusal } from '../migration/safety-gate.js';
import { parseMigrateArguments, usage, UsageError } from '../migration/cli/arguments.js';
import { commandTable } from '../migration/cli/commands.js';
import { createOutput } from '../migration/cli/output.js';
import { describeFailure } from '../migration/postgres-errors.js';
import { StageChangeRefused } from '../migration/store/stage-store.js';
import { openMigrationToolkit } from '../migration/toolkit.js';

/**
 * `npm run migrate -- <command> [domain] [options]`: the operator's tool for the batch half of
 * the move. Exit codes: 0 done and consistent, 1 records differ or failed, 2 bad usage or
 * configuration, 3 refused by a safety gate.
 */
async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseMigrateArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`migrate: ${error.message}\n${usage}`);
    return 2;
  }
  const out = createOutput(args.json);
  let kit;
  try {
    kit = await openMigrationToolkit(loadConfig());
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `migrate: the stores cannot be reached (${describeFailure(error)}); start them first (npm start, or npx tsx stack/cli.ts up)`);
    return 2;
  }
  try {
    return await commandTable[args.command](kit, args, out);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`migrate: ${error.message}`);
      return 2;
    }
    if (error instanceof StageChangeRefused || error instanceof SafetyGateRefusal) {
      console.error(`migrate: ${error.message}`);
      return 3;
    }
    console.error(`migrate: ${error instanceof AppError ? error.message : describeFailure(error)}`);
    return 1;
  } finally {
    await kit.close();
  }
}

process.exitCode = await main(process.argv.slice(2));

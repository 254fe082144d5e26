import type { MigrationToolkit } from '../toolkit.js';
import type { MigrateArguments } from './arguments.js';
import type { Output } from './output.js';

/** One command of `npm run migrate`; it returns its exit code (0 done and consistent, 1 differ or failed); refusals throw. */
export type Command = (kit: MigrationToolkit, args: MigrateArguments, out: Output) => Promise<number>;

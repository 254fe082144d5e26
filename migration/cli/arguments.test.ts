import { describe, expect, it } from 'vitest';
import { parseMigrateArguments, UsageError } from './arguments.js';

describe('parseMigrateArguments', () => {
  it('reads commands, domains and options', () => {
    expect(parseMigrateArguments(['backfill', 'sessions', '--batch-size', '250', '--restart'])).toMatchObject({ command: 'backfill', domains: ['sessions'], batchSize: 250, restart: true });
    expect(parseMigrateArguments(['verify', 'all', '--json', '--sample', '10'])).toMatchObject({ command: 'verify', domains: ['sessions', 'feedback', 'documents'], json: true, sample: 10 });
    expect(parseMigrateArguments(['stage', 'feedback', 'live', '--rollout', '30', '--force'])).toMatchObject({ command: 'stage', domains: ['feedback'], stage: 'live', rollout: 30, force: true });
    expect(parseMigrateArguments(['status'])).toMatchObject({ command: 'status', domains: ['sessions', 'feedback', 'documents'], json: false });
  });

  it.each([
    [[], 'a command is needed'],
    [['launch'], 'unknown command "launch"'],
    [['backfill'], 'backfill needs a domain'],
    [['backfill', 'patients'], 'unknown domain "patients"'],
    [['stage', 'all', 'live'], 'unknown domain "all"'],
    [['stage', 'sessions', 'done'], 'stage needs a stage'],
    [['backfill', 'sessions', '--batch-size', '0'], '--batch-size must be a whole number from 1 to 10000 (got "0")'],
    [['stage', 'sessions', 'live', '--rollout', '101'], '--rollout must be a whole number'],
    [['verify', 'sessions', '--colour'], "Unknown option '--colour'"],
    [['verify', 'sessions', 'feedback'], 'verify takes 1 argument'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseMigrateArguments(argv)).toThrow(UsageError);
    expect(() => parseMigrateArguments(argv)).toThrow(message);
  });
});

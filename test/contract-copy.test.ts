import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The client contract is a file the project owns (schema/contract.graphql; npm run
 * check:generated holds the supergraph to it). While the shared design files sit beside the
 * repository, the copy stays identical to theirs.
 */
const root = join(import.meta.dirname, '..');
const shared = join(root, '..', 'shared', 'contract.graphql');

describe('schema/contract.graphql', () => {
  it.runIf(existsSync(shared))('is the shared client contract, unchanged', () => {
    expect(readFileSync(join(root, 'schema', 'contract.graphql'), 'utf8')).toBe(readFileSync(shared, 'utf8'));
  });
});

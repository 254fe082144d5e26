import { readFile } from 'node:fs/promises';
import type { ApolloServerPlugin } from '@apollo/server';
import { forbidden, withHttpStatus } from '../lib/errors.js';

/** Reads a safelist file: one sha256 hex hash of an operation's text a line; `#` starts a comment. */
export async function loadSafelist(file: string): Promise<Set<string>> {
  const text = await readFile(file, 'utf8');
  const hashes = text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().toLowerCase())
    .filter((line) => line !== '');
  for (const hash of hashes) {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`${file}: "${hash}" is not a sha256 hex hash`);
  }
  return new Set(hashes);
}

/**
 * Persisted-operation safelist for production: only operations whose text hashes (sha256, the
 * hash APQ uses) to a listed value run; anything else is FORBIDDEN before planning.
 */
export function createSafelistPlugin(allowed: ReadonlySet<string>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ queryHash }) {
          if (!allowed.has(queryHash)) throw withHttpStatus(forbidden('This operation is not in the safelist of persisted operations'), 403);
        },
      };
    },
  };
}

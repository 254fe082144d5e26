import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { IntrospectAndCompose, type ServiceEndpointDefinition, type SupergraphManager } from '@apollo/gateway';
import { signDevToken } from '../lib/auth.js';
import type { Config } from '../lib/config.js';
import type { Logger } from '../lib/logger.js';

/** Where the gateway gets its supergraph: a composed file (production) or running subgraphs (development). */
export type SupergraphSource =
  | { file: string; /** How often the file is checked for changes; default 1000 ms. */ pollIntervalMs?: number }
  | { subgraphs: ServiceEndpointDefinition[]; /** Re-composition interval; default 10 000 ms. */ pollIntervalMs?: number };

/**
 * Serves the supergraph SDL in `file` and hands every changed version to the gateway's `update`,
 * which swaps schema and query planner atomically: requests in flight finish on the old one.
 * A supergraph the gateway rejects is logged and the previous one keeps serving.
 * Polling (`watchFile`) rather than `fs.watch` because editors and `git checkout` replace the file.
 */
export function createFileSupergraphManager(file: string, logger: Logger, pollIntervalMs = 1000): SupergraphManager {
  return {
    async initialize({ update }) {
      let current = await readFile(file, 'utf8');
      const reload = async () => {
        const next = await readFile(file, 'utf8').catch(() => undefined);
        if (next === undefined || next === current) return;
        try {
          update(next);
          current = next;
          logger.info({ file }, 'supergraph reloaded');
        } catch (error) {
          logger.error({ err: error, file }, 'supergraph rejected; the previous one keeps serving');
        }
      };
      const listener = (now: Stats, before: Stats) => {
        if (now.mtimeMs !== before.mtimeMs || now.size !== before.size) void reload();
      };
      watchFile(file, { interval: pollIntervalMs, persistent: false }, listener);
      return { supergraphSdl: current, cleanup: async () => unwatchFile(file, listener) };
    },
  };
}

/**
 * The supergraph manager for a source. Composing from running subgraphs asks each for `_service`,
 * which needs a token: in development the gateway signs a short-lived service token for it; a
 * deployment without JWT_SECRET composes ahead of time (`npm run compose`) and serves the file.
 */
export function createSupergraphManager(source: SupergraphSource, deps: { logger: Logger; auth: Config['auth'] }): SupergraphManager {
  if ('file' in source) return createFileSupergraphManager(source.file, deps.logger, source.pollIntervalMs);
  if (!deps.auth.jwtSecret) throw new Error('Composing from running subgraphs needs JWT_SECRET (development); serve a composed supergraph file instead');
  return new IntrospectAndCompose({
    subgraphs: source.subgraphs,
    pollIntervalInMs: source.pollIntervalMs ?? 10_000,
    introspectionHeaders: async () => ({ authorization: `Bearer ${await signDevToken(deps.auth, { sub: 'gateway-composition', role: 'service' }, '5m')}` }),
  });
}

import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { IntrospectAndCompose, type ServiceEndpointDefinition, type SupergraphManager } from '@apollo/gateway';
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

/** The supergraph manager for a source. */
export function createSupergraphManager(source: SupergraphSource, logger: Logger): SupergraphManager {
  if ('file' in source) return createFileSupergraphManager(source.file, logger, source.pollIntervalMs);
  return new IntrospectAndCompose({ subgraphs: source.subgraphs, pollIntervalInMs: source.pollIntervalMs ?? 10_000 });
}

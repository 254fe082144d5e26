import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeFile } from 'node:fs/promises';
import { composeSupergraph } from '../../gateway/compose.js';
import { stopProcess } from '../../lib/stop-process.js';
import { subgraphSdl } from '../../subgraphs/sdl.js';
import type { SubgraphUrls } from './cross-store.js';

export type SubgraphLayout = 'one-process' | 'per-subgraph';

/** What a `serve.ts` process says once it listens: a gateway's URL, or the subgraphs' URLs. */
export interface ServedInfo {
  url?: string;
  urls?: SubgraphUrls;
}

/**
 * Benchmark processes (`serve.ts <role> <supergraph file>`), each in its own Node process with the
 * young-generation size `npm start` gives ours (package.json), so no gateway gets a runtime
 * advantage the others lack. `env` goes on top of this process's environment.
 */
/** How long a benchmark process may take to exit on SIGTERM before it is killed. */
export const benchStopMs = 5_000;

export function createBenchProcesses() {
  const children: ChildProcess[] = [];
  return {
    /** `nodeOptions`: more flags for Node (`--expose-gc`: the process collects garbage on SIGUSR2, for memory readings). */
    async start(role: string, file: string, env: Record<string, string> = {}, nodeOptions: string[] = []): Promise<{ child: ChildProcess; info: ServedInfo }> {
      const child = spawn(process.execPath, ['--max-semi-space-size=32', ...nodeOptions, '--import', 'tsx', join(import.meta.dirname, 'serve.ts'), role, file], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, ...env },
      });
      children.push(child);
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      for await (const line of lines) {
        if (line.startsWith('{')) return { child, info: JSON.parse(line) as ServedInfo };
      }
      throw new Error(`${role} exited before listening`);
    },
    /**
     * The three subgraphs in one process (`one-process`, as `npm start` ran them until
     * 2026-12-07) or each in its own (`per-subgraph`, as `npm start` and compose run them), with
     * their supergraph written to `file`.
     */
    async startSubgraphs(file: string, layout: SubgraphLayout, env: Record<string, string> = {}): Promise<{ urls: SubgraphUrls; children: Record<string, ChildProcess> }> {
      const names = ['knowledge', 'operations', 'search'] as const;
      let urls: SubgraphUrls;
      let children: Record<string, ChildProcess>;
      if (layout === 'one-process') {
        const { child, info } = await this.start('subgraphs', file, env);
        urls = info.urls as SubgraphUrls;
        children = { subgraphs: child };
      } else {
        // search reads posted messages from operations: operations first, then the other two
        const operations = await this.start('operations', file, env);
        const [knowledge, search] = await Promise.all([this.start('knowledge', file, env), this.start('search', file, { ...env, SEARCH_OPERATIONS_URL: operations.info.url as string })]);
        const started = { knowledge, operations, search };
        urls = Object.fromEntries(names.map((name) => [name, started[name].info.url as string])) as SubgraphUrls;
        children = Object.fromEntries(names.map((name) => [name, started[name].child]));
      }
      await writeFile(file, composeSupergraph(names.map((name) => ({ name, url: urls[name], sdl: subgraphSdl[name] }))));
      return { urls, children };
    },
    stopAll(): void {
      for (const child of children) void stopProcess(child, benchStopMs);
    },
  };
}

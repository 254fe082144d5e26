import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { stopProcess } from '../lib/stop-process.js';
import { projectRoot } from '../stack/paths.js';

/** One service running as a process of its own, started and stopped by `npm start`. */
export interface ServiceProcess {
  name: string;
  /** Its GraphQL endpoint. */
  url: string;
  port: number;
  /** SIGTERM, then waits for the exit (the service drains within its own deadline; SIGKILL after `deadlineMs`). */
  stop(deadlineMs: number): Promise<void>;
}

const healthy = (port: number) =>
  fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) }).then((response) => response.ok, () => false);

/**
 * Starts a service entry point (`subgraphs/<name>/index.ts`, `gateway/index.ts`) as its own Node
 * process, exactly as package.json's `start:*` scripts and compose run it, with this process's
 * environment and output. Resolves once it answers /healthz on `port`; rejects if it exits first.
 * `onExit` hears of an exit that `stop` did not ask for.
 */
export async function startServiceProcess(
  name: string,
  entry: string,
  port: number,
  options: { args?: string[]; onExit: (name: string, code: number | null, signal: NodeJS.Signals | null) => void },
): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', join(projectRoot, entry), ...(options.args ?? [])], {
    cwd: projectRoot,
    env: process.env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let state: 'starting' | 'running' | 'stopping' | 'gone' = 'starting';
  child.once('exit', (code, signal) => {
    if (state === 'running') options.onExit(name, code, signal);
    state = 'gone';
  });
  const hasExited = () => state === 'gone';
  while (!(await healthy(port))) {
    if (hasExited()) throw new Error(`${name} exited before it was ready (its output is above)`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  state = 'running';
  return {
    name,
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    async stop(deadlineMs) {
      if (hasExited()) return;
      state = 'stopping';
      await stopProcess(child, deadlineMs);
    },
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything the process wrote, stdout and stderr interleaved. */
  output(): string;
  /** Resolves when the process has exited: its code and how long after `signal()` it took. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; msAfterSignal: number | undefined }>;
  signal(signal: NodeJS.Signals): void;
}

/**
 * Starts one of the project's entry points as its own Node process, exactly as package.json and
 * compose run them (`node --max-semi-space-size=32 --import tsx <entry>`), with `env` on top of
 * this process's environment. `preload` files are imported before the entry point.
 */
export function startServiceProcess(entry: string, env: Record<string, string>, options: { args?: string[]; preload?: string[] } = {}): ServiceProcess {
  const imports = ['tsx', ...(options.preload ?? [])].flatMap((module) => ['--import', module]);
  return startProcess([process.execPath, '--max-semi-space-size=32', ...imports, join(root, entry), ...(options.args ?? [])], { ...process.env, ...env });
}

/** Runs `command` (found on env's PATH) in the project root with exactly `env`: nothing of this process's environment. */
export function startProcess(command: readonly string[], env: NodeJS.ProcessEnv): ServiceProcess {
  const [file, ...args] = command;
  if (!file) throw new Error('startProcess: empty command');
  const child = spawn(file, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let signalledAt: number | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; msAfterSignal: number | undefined }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, msAfterSignal: signalledAt === undefined ? undefined : Date.now() - signalledAt }));
  });
  return {
    child,
    output: () => output,
    exited,
    signal(signal) {
      signalledAt = Date.now();
      child.kill(signal);
    },
  };
}

/** Polls `url` until it answers 200 (or the process exits, or the time is up). */
export async function waitUntilHealthy(service: ServiceProcess, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void service.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become healthy${exited ? ' (the process exited)' : ''}:\n${service.output().slice(-3000)}`);
}

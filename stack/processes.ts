import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchPlan } from './store.js';

/** The pid file of a process this stack started; only such processes are ever stopped. */
export function pidFile(dir: string): string {
  return join(dir, 'pid');
}

export function readPid(dir: string): number | undefined {
  const file = pidFile(dir);
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Spawns the plan detached in its own process group, output appended to `logPath`; returns its pid. */
export function spawnDetached(plan: LaunchPlan, dir: string, logPath: string): number {
  const [command, args] = plan.user ? asUser(plan.user, plan.command, plan.args) : [plan.command, plan.args];
  const log = openSync(logPath, 'a');
  try {
    const child = spawn(command, args, {
      cwd: plan.cwd ?? dir,
      env: { ...process.env, ...plan.env },
      detached: true,
      stdio: ['ignore', log, log],
    });
    if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
    child.unref();
    writeFileSync(pidFile(dir), `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

function asUser(user: string, command: string, args: readonly string[]): [string, readonly string[]] {
  // runuser keeps the process in our process group and forwards signals to it.
  return ['runuser', ['-u', user, '--', command, ...args]];
}

/** `signal` to the whole process group, SIGKILL after `graceMs`; removes the pid file. */
export async function stopProcess(dir: string, signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<'stopped' | 'not-running'> {
  const pid = readPid(dir);
  if (pid === undefined || !isAlive(pid)) {
    rmSync(pidFile(dir), { force: true });
    return 'not-running';
  }
  signalGroup(pid, signal);
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  rmSync(pidFile(dir), { force: true });
  return 'stopped';
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** The last lines of a log, to explain why a store did not come up. */
export function tail(path: string, lines = 20): string {
  if (!existsSync(path)) return '(no log)';
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export interface RunResult {
  ok: boolean;
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion without blocking the event loop (stores prepare in parallel);
 * resolves with its exit status and output, never rejects for a non-zero exit.
 */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; user?: string; env?: Record<string, string>; input?: string } = {},
): Promise<RunResult> {
  const [cmd, argv] = options.user ? asUser(options.user, command, args) : [command, args];
  return new Promise((resolve) => {
    const stdin = options.input === undefined ? 'ignore' : 'pipe';
    const child = spawn(cmd, argv, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: [stdin, 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdin?.on('error', () => undefined).end(options.input);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolve({ ok: false, status: null, stdout, stderr: stderr + error.message }));
    child.on('close', (status) => resolve({ ok: status === 0, status, stdout, stderr }));
  });
}

/** True when `command` can be found on PATH. */
export async function onPath(command: string): Promise<boolean> {
  return (await run('sh', ['-c', 'command -v "$1"', 'sh', command])).ok;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

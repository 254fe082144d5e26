import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * SIGTERM, then SIGKILL if the process has not exited within `deadlineMs` (a child whose shutdown
 * hangs must not hold its parent); resolves once it has exited.
 */
export async function stopProcess(child: ChildProcess, deadlineMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  const killer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
  child.kill('SIGTERM');
  await exited;
  clearTimeout(killer);
}

import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, sleep } from './processes.js';

/**
 * Runs `work` while holding `<dir>/start.lock`, so two `stack up` runs at once (two test
 * runs, or a test run beside `npm start`) never start the same store twice. A lock left by
 * a process that died is taken over.
 */
export async function withStartLock<T>(dir: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const file = join(dir, 'start.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!holderAlive(file)) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another process (pid ${readFileSync(file, 'utf8')}) has been starting this store for too long`);
      await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(file, { force: true });
  }
}

function holderAlive(file: string): boolean {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid);
  } catch {
    return false;
  }
}

import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Config } from '../lib/config.js';
import type { StoreName } from './store.js';

/** The project's root folder (stack/ lives one level below it). */
export const projectRoot = resolve(import.meta.dirname, '..');

/** Where one store keeps its data, logs and pid file: `<STACK_DIR>/<store>/`. */
export function storeDir(config: Config, store: StoreName): string {
  const base = isAbsolute(config.stack.dir) ? config.stack.dir : join(projectRoot, config.stack.dir);
  const dir = join(base, store);
  mkdirSync(dir, { recursive: true });
  return dir;
}

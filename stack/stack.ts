import { join } from 'node:path';
import type { Config } from '../lib/config.js';
import { createNeo4jStore } from './neo4j.js';
import { storeDir } from './paths.js';
import { createPostgresStore } from './postgres.js';
import { isAlive, readPid, sleep, spawnDetached, stopProcess, tail } from './processes.js';
import { createQdrantStore } from './qdrant.js';
import { createRedisStore } from './redis.js';
import { withStartLock } from './start-lock.js';
import { StackError, type Store, type StoreName } from './store.js';

export type StoreState = 'started' | 'reused' | 'running' | 'external' | 'unavailable' | 'stopped' | 'not-running';

export interface StoreReport {
  name: StoreName;
  url: string;
  state: StoreState;
  /** Started by this stack (has a live pid file), so `down` will stop it. */
  managed: boolean;
  pid?: number;
  ms: number;
  note?: string;
}

const urlVariable: Record<StoreName, string> = {
  postgres: 'DATABASE_URL',
  redis: 'REDIS_URL',
  neo4j: 'NEO4J_URI',
  qdrant: 'QDRANT_URL',
};

export function createStores(config: Config, only?: readonly StoreName[]): Store[] {
  const all = [createPostgresStore(config), createRedisStore(config), createNeo4jStore(config), createQdrantStore(config)];
  return only ? all.filter((store) => only.includes(store.name)) : all;
}

/**
 * Brings every store up, in parallel: external ones are only checked, healthy ones reused,
 * the rest prepared and started. Throws one StackError listing every required store that failed.
 */
export async function stackUp(config: Config, only?: readonly StoreName[]): Promise<StoreReport[]> {
  const stores = createStores(config, only);
  const outcomes = await Promise.allSettled(stores.map((store) => bringUp(config, store)));
  const failures: string[] = [];
  const reports = outcomes.map((outcome, index): StoreReport => {
    const store = stores[index] as Store;
    if (outcome.status === 'fulfilled') return outcome.value;
    const message = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
    if (!store.optional) failures.push(`${store.name}: ${message}`);
    return { name: store.name, url: store.displayUrl, state: 'unavailable', managed: false, ms: 0, note: message };
  });
  if (failures.length > 0) throw new StackError(`The stack could not start:\n${failures.map((failure) => `  - ${failure}`).join('\n')}`);
  return reports;
}

async function bringUp(config: Config, store: Store): Promise<StoreReport> {
  const started = Date.now();
  const report = (state: StoreState, pid?: number): StoreReport => ({
    name: store.name, url: store.displayUrl, state, managed: pid !== undefined, pid, ms: Date.now() - started,
  });
  if (store.external) {
    if (await store.isReady()) return report('external');
    throw new StackError(`${urlVariable[store.name]} is set to ${store.displayUrl}, but nothing answers there`);
  }
  const dir = storeDir(config, store.name);
  return withStartLock(dir, config.stack.startTimeoutMs, async () => {
    const runningPid = livePid(dir);
    if (await store.isReady()) return report('reused', runningPid);
    if (runningPid !== undefined) {
      // Our own process is still starting (or hung): wait for it rather than start a second one.
      await waitUntilReady(config, store, runningPid, dir);
      return report('reused', runningPid);
    }
    const plan = await store.prepare();
    const pid = spawnDetached(plan, dir, logFile(dir, store.name));
    await waitUntilReady(config, store, pid, dir);
    await store.afterStart?.();
    return report('started', pid);
  });
}

async function waitUntilReady(config: Config, store: Store, pid: number, dir: string): Promise<void> {
  const deadline = Date.now() + config.stack.startTimeoutMs;
  while (Date.now() < deadline) {
    if (await store.isReady()) return;
    if (!isAlive(pid)) {
      throw new StackError(`exited before it was ready; last lines of ${logFile(dir, store.name)}:\n${tail(logFile(dir, store.name))}`);
    }
    await sleep(250);
  }
  throw new StackError(
    `not ready after ${config.stack.startTimeoutMs / 1000} s (STACK_START_TIMEOUT_SECONDS); last lines of ${logFile(dir, store.name)}:\n${tail(logFile(dir, store.name))}`,
  );
}

/** Stops only the processes this stack started (those with a live pid file). */
export async function stackDown(config: Config, only?: readonly StoreName[]): Promise<StoreReport[]> {
  return Promise.all(
    createStores(config, only).map(async (store): Promise<StoreReport> => {
      const started = Date.now();
      const dir = storeDir(config, store.name);
      const pid = livePid(dir);
      const state = store.external ? 'external' : await stopProcess(dir, store.stopSignal);
      return { name: store.name, url: store.displayUrl, state, managed: pid !== undefined, pid, ms: Date.now() - started };
    }),
  );
}

export async function stackStatus(config: Config): Promise<Array<StoreReport & { ready: boolean }>> {
  return Promise.all(
    createStores(config).map(async (store) => {
      const started = Date.now();
      const pid = livePid(storeDir(config, store.name));
      const ready = await store.isReady();
      const state: StoreState = store.external ? 'external' : ready ? 'running' : 'not-running';
      return { name: store.name, url: store.displayUrl, state, managed: pid !== undefined, pid, ms: Date.now() - started, ready };
    }),
  );
}

function livePid(dir: string): number | undefined {
  const pid = readPid(dir);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

function logFile(dir: string, name: StoreName): string {
  return join(dir, `${name}.log`);
}

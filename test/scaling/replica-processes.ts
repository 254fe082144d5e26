import { freePort } from '../support/free-port.js';
import { startServiceProcess, waitUntilHealthy, type ServiceProcess } from '../support/service-process.js';

export type ServiceName = 'gateway' | 'knowledge' | 'operations' | 'search';

/** One service process started from its production entry point. */
export interface Replica {
  name: ServiceName;
  /** Its base URL (`/graphql`, `/metrics` beside it). */
  url: string;
  process: ServiceProcess;
}

const entries: Record<ServiceName, { entry: string; portVariable: string }> = {
  gateway: { entry: 'gateway/index.ts', portVariable: 'GATEWAY_PORT' },
  knowledge: { entry: 'subgraphs/knowledge/index.ts', portVariable: 'KNOWLEDGE_PORT' },
  operations: { entry: 'subgraphs/operations/index.ts', portVariable: 'OPERATIONS_PORT' },
  search: { entry: 'subgraphs/search/index.ts', portVariable: 'SEARCH_PORT' },
};

/** Starts `name` as a process of its own on a free port with `env`; resolves once `readyPath` answers 200. */
export async function startReplica(name: ServiceName, env: Record<string, string>, readyPath = '/healthz'): Promise<Replica> {
  const port = await freePort();
  const { entry, portVariable } = entries[name];
  const service = startServiceProcess(entry, { ...env, [portVariable]: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(service, `${url}${readyPath}`, 180_000);
  } catch (error) {
    service.child.kill('SIGKILL');
    throw error;
  }
  return { name, url, process: service };
}

/** Starts them all at once; when one cannot start, stops those that did and throws its error. */
export async function startReplicas(specs: readonly (readonly [name: ServiceName, env: Record<string, string>, readyPath?: string])[]): Promise<Replica[]> {
  const results = await Promise.allSettled(specs.map((spec) => startReplica(...spec)));
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await stopReplicas(started);
    throw failure.reason;
  }
  return started;
}

/** SIGTERM to each, then SIGKILL to any still running after the grace period. */
export async function stopReplicas(replicas: readonly Replica[], graceMs = 15_000): Promise<void> {
  await Promise.all(
    replicas.map(async ({ process: service }) => {
      if (service.child.exitCode !== null || service.child.signalCode !== null) return;
      service.signal('SIGTERM');
      const killer = setTimeout(() => service.child.kill('SIGKILL'), graceMs);
      await service.exited;
      clearTimeout(killer);
    }),
  );
}

/** The samples of `metric` in a replica's /metrics (open to loopback callers outside production), each with its labels. */
export async function metricSamples(replica: Replica, metric: string): Promise<{ labels: Record<string, string>; value: number }[]> {
  const text = await (await fetch(`${replica.url}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${metric}(?:\\{(.*)\\})? (\\S+)$`, 'gm'))].map((match) => ({
    labels: Object.fromEntries([...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1], label[2]])),
    value: Number(match[2]),
  }));
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { onPath } from '../../stack/processes.js';
import { aptInstall, canInstallWithApt } from '../../stack/system-packages.js';
import { freePort } from './free-port.js';
import { startProcess, waitUntilHealthy } from './service-process.js';

export interface PrometheusServer {
  url: string;
  /** An instant query through the HTTP API: the vector's series, each with its labels and value. */
  query(expression: string): Promise<{ metric: Record<string, string>; value: number }[]>;
  /** Every scrape target and its health (`up`, `down`, `unknown`). */
  targets(): Promise<{ job: string; health: string; lastError: string }[]>;
  stop(): Promise<void>;
}

/** Debian's Prometheus, installed with apt when it is missing (as the stack installs its stores). */
async function ensurePrometheus(): Promise<void> {
  if (await onPath('prometheus')) return;
  if (!(await canInstallWithApt())) throw new Error('prometheus not found: install it with `apt-get install prometheus` (Debian)');
  await aptInstall(['prometheus'], 'prometheus not found');
}

/** A real Prometheus on a free loopback port with `config` (a prometheus.yml document), data in a temporary folder. */
export async function startPrometheus(config: unknown): Promise<PrometheusServer> {
  await ensurePrometheus();
  const dir = await mkdtemp(join(tmpdir(), 'prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, stringify(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = startProcess(
    ['prometheus', `--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { PATH: process.env.PATH },
  );
  await waitUntilHealthy(server, `${url}/-/ready`);
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}/api/v1/${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? response.status}`);
    return body.data;
  };
  return {
    url,
    async query(expression) {
      const data = await api<{ resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }>(`query?query=${encodeURIComponent(expression)}`);
      if (data.resultType !== 'vector') throw new Error(`${expression}: a ${data.resultType}, not a vector`);
      return data.result.map((series) => ({ metric: series.metric, value: Number(series.value[1]) }));
    },
    async targets() {
      const data = await api<{ activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] }>('targets?state=active');
      return data.activeTargets.map((target) => ({ job: target.labels.job ?? '', health: target.health, lastError: target.lastError }));
    },
    async stop() {
      server.signal('SIGTERM');
      await server.exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const deployDir = join(import.meta.dirname, '..', '..', 'deploy');

/** A file of the monitoring setup compose mounts (`deploy/...`). */
export const deployFile = (path: string): string => join(deployDir, path);

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; datasource?: { type: string; uid: string } }[];
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: DashboardPanel[];
}

/** Every dashboard checked in under deploy/grafana/dashboards, by file name. */
export async function dashboards(): Promise<Map<string, Dashboard>> {
  const dir = deployFile('grafana/dashboards');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json'));
  return new Map(await Promise.all(files.map(async (file) => [file, JSON.parse(await readFile(join(dir, file), 'utf8')) as Dashboard] as const)));
}

/** Every Prometheus query of every dashboard, with the title of its panel. */
export async function dashboardQueries(): Promise<{ panel: string; expr: string }[]> {
  return [...(await dashboards()).values()].flatMap((dashboard) =>
    dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr }))),
  );
}

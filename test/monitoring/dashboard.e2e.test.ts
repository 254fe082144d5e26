import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { crossStoreQuery } from '../../bench/gateway/cross-store.js';
import type { ServiceHandle } from '../../lib/http-server.js';
import { openMigrationToolkit } from '../../migration/toolkit.js';
import { verifyDomain } from '../../migration/verify/verify-domain.js';
import { postGraphQL } from '../gateway/support.js';
import { startCrohnSession, startRealWorld, type RealWorld } from '../gateway/real-world.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { dashboardQueries, deployFile } from './dashboard-file.js';

/** What Grafana puts in place of `$__rate_interval` for a 1 s scrape interval (four intervals, at least 15 s). */
const rateInterval = '15s';

/**
 * A real Prometheus, configured by the compose stack's prometheus.yml (only the targets and the
 * token file changed), scrapes the running gateway and subgraphs while they serve real traffic;
 * then every query of the checked-in Grafana dashboard goes through Prometheus' HTTP API and must
 * return data.
 */
describe('the Grafana dashboard over a real Prometheus', () => {
  let world: RealWorld;
  let gateway: ServiceHandle;
  let prometheus: PrometheusServer;
  let tokenDir = '';
  let traffic: Promise<void> | undefined;
  let trafficRunning = true;

  beforeAll(async () => {
    world = await startRealWorld({ ingest: true });
    gateway = await world.startGateway({ settings: { responseCache: true } });
    const sessionId = await startCrohnSession(world, gateway.url);
    // the migration panels show the last verification: make one
    const toolkit = await openMigrationToolkit(world.config);
    try {
      await verifyDomain(toolkit, 'feedback', { sample: 0 });
    } finally {
      await toolkit.close();
    }

    tokenDir = await mkdtemp(join(tmpdir(), 'metrics-token-'));
    const tokenFile = join(tokenDir, 'token');
    await writeFile(tokenFile, world.config.metricsToken ?? '');
    const hostOf = (url: string) => new URL(url).host;
    const targets: Record<string, string> = {
      gateway: hostOf(gateway.url),
      knowledge: hostOf(world.subgraphUrls.knowledge),
      operations: hostOf(world.subgraphUrls.operations),
      search: hostOf(world.subgraphUrls.search),
    };
    const composeConfig = parse(await readFile(deployFile('prometheus/prometheus.yml'), 'utf8')) as PrometheusConfig;
    prometheus = await startPrometheus({
      ...composeConfig,
      global: { ...composeConfig.global, scrape_interval: '1s', evaluation_interval: '1s' },
      scrape_configs: composeConfig.scrape_configs.map((job) => {
        const target = targets[job.job_name];
        if (!target) throw new Error(`prometheus.yml scrapes ${job.job_name}, which is no service`);
        return { ...job, authorization: { ...job.authorization, credentials_file: tokenFile }, static_configs: [{ targets: [target] }] };
      }),
    });

    // traffic for the whole time Prometheus scrapes (rates need two samples that differ): each
    // round writes a message (the cached session is stale), reads the session twice (a miss through
    // every subgraph, then a hit) and searches a new text twice (the second reuses its vector)
    const search = 'query ($text: String!, $k: Int!) { semanticSearch(text: $text, k: $k) { score } }';
    const post = 'mutation ($s: ID!, $c: String!) { postMessage(input: { sessionId: $s, role: USER, content: $c }) { id } }';
    traffic = (async () => {
      for (let round = 0; trafficRunning; round += 1) {
        await postGraphQL(gateway.url, { query: post, variables: { s: sessionId, c: `How are my infliximab levels, week ${round}?` } }, world.tokens.a);
        for (let read = 0; read < 2; read += 1) await postGraphQL(gateway.url, { query: crossStoreQuery, variables: { id: sessionId } }, world.tokens.a);
        for (const k of [3, 5]) await postGraphQL(gateway.url, { query: search, variables: { text: `infliximab trough levels ${world.prefix} ${round}`, k } }, world.tokens.clinician);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await waitForScrapes(prometheus, Object.keys(targets));
  });

  afterAll(async () => {
    trafficRunning = false;
    await traffic;
    await prometheus?.stop();
    await world?.stop();
    if (tokenDir) await rm(tokenDir, { recursive: true, force: true });
  });

  it('scrapes every service compose runs', async () => {
    const targets = await prometheus.targets();
    expect(targets.map((target) => target.job).sort()).toEqual(['gateway', 'knowledge', 'operations', 'search']);
    for (const target of targets) expect(target, target.job).toMatchObject({ health: 'up', lastError: '' });
  });

  it('answers every query of the dashboard with data', async () => {
    const queries = await dashboardQueries();
    expect(queries.length).toBeGreaterThanOrEqual(20);
    const empty: string[] = [];
    for (const { panel, expr } of queries) {
      const series = await prometheus.query(expr.replaceAll('$__rate_interval', rateInterval));
      // a quantile over no new observations is NaN: "data" means a number to draw
      if (!series.some((point) => Number.isFinite(point.value))) empty.push(`${panel}: ${expr} → ${JSON.stringify(series)}`);
    }
    expect(empty).toEqual([]);
  });

  it('shows the figures the traffic made: cache hits, fetches of each subgraph, the stage of each domain', async () => {
    const byPanel = new Map((await dashboardQueries()).map((query) => [query.panel, query.expr.replaceAll('$__rate_interval', rateInterval)]));
    const query = (panel: string) => prometheus.query(byPanel.get(panel) ?? `absent panel ${panel}`);
    const [responseHits] = await query('Response cache hit ratio');
    expect(responseHits?.value).toBeGreaterThan(0);
    const [vectorHits] = await query('Query-vector cache hit ratio');
    expect(vectorHits?.value).toBeGreaterThan(0);
    const fetches = await query('Fetches per second, by subgraph');
    expect(fetches.map((series) => series.metric.subgraph).sort()).toEqual(['knowledge', 'operations', 'search']);
    const stages = await query('Stage, by domain');
    expect(stages.map((series) => series.metric.domain).sort()).toEqual(['documents', 'feedback', 'sessions']);
  });
});

interface PrometheusConfig {
  global: Record<string, unknown>;
  scrape_configs: { job_name: string; authorization: Record<string, unknown> }[];
}

/** Until every job has been scraped healthily for a few seconds of traffic (enough samples for every rate). */
async function waitForScrapes(prometheus: PrometheusServer, jobs: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const up = await prometheus.query('count_over_time(up[1m]) >= 8 and up == 1');
    if (jobs.every((job) => up.some((series) => series.metric.job === job))) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Prometheus did not scrape ${jobs.join(', ')} in time: ${JSON.stringify(await prometheus.targets())}`);
}

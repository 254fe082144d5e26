import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../lib/config.js';
import { compose, composeText, resolveEnvironment } from './support/compose-file.js';
import { dashboards, deployFile } from './monitoring/dashboard-file.js';

const root = join(import.meta.dirname, '..');

const envExampleKeys = new Set(
  [...readFileSync(join(root, '.env.example'), 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]),
);

/** The services that run the project's own code (the demo seed included). */
const appServices = ['gateway', 'knowledge', 'operations', 'search', 'demo-seed'];

describe('docker-compose.yml', () => {
  it('runs the four stores at the versions the project supports', () => {
    expect(compose.services.neo4j?.image).toBe('neo4j:5.26-community');
    expect(compose.services.neo4j?.environment?.NEO4J_PLUGINS).toBe('["apoc"]');
    expect(compose.services.neo4j?.environment?.NEO4J_dbms_security_procedures_unrestricted).toBe('apoc.*');
    expect(compose.services.postgres?.image).toBe('postgres:16');
    expect(compose.services.redis?.image).toBe('redis:7');
    expect(compose.services.qdrant?.image).toMatch(/^qdrant\/qdrant:v1\.\d+\.\d+$/);
  });

  it('gives every long-running service a health check, and every store a named volume', () => {
    const jobs = Object.entries(compose.services).filter(([, service]) => service.restart === 'no');
    expect(jobs.map(([name]) => name)).toEqual(['demo-seed']);
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.restart !== 'no') expect(service.healthcheck?.test, name).toBeDefined();
    }
    for (const store of ['neo4j', 'postgres', 'redis', 'qdrant']) {
      const volume = compose.services[store]?.volumes?.[0]?.split(':')[0];
      expect(volume && volume in compose.volumes, store).toBe(true);
    }
  });

  it('seeds the demo data only when asked (the demo profile), through the healthy gateway', () => {
    expect(compose.services['demo-seed']).toMatchObject({ profiles: ['demo'], depends_on: { gateway: { condition: 'service_healthy' } } });
    expect(compose.services['demo-seed']?.command).toEqual(['node', '--import', 'tsx', 'scripts/seed-demo.ts', '--gateway', `http://gateway:${compose.services.gateway?.environment?.GATEWAY_PORT}/graphql`]);
  });

  it('starts the gateway after the subgraphs, and the subgraphs after healthy stores', () => {
    expect(Object.keys(compose.services.gateway?.depends_on ?? {}).sort()).toEqual(['knowledge', 'operations', 'search']);
    for (const subgraph of ['knowledge', 'operations', 'search']) {
      const dependsOn = compose.services[subgraph]?.depends_on ?? {};
      expect(Object.keys(dependsOn).sort()).toEqual(['neo4j', 'postgres', 'qdrant', 'redis']);
      expect(Object.values(dependsOn).every((dependency) => dependency.condition === 'service_healthy')).toBe(true);
    }
  });

  it('documents in .env.example every variable the file reads', () => {
    const read = new Set([...composeText.matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]));
    expect(read.size).toBeGreaterThan(10);
    for (const key of read) expect(envExampleKeys, key).toContain(key);
  });

  it('configures the app services with the variables of .env.example, and valid values once a key is given', () => {
    for (const name of appServices) {
      const environment = compose.services[name]?.environment ?? {};
      for (const key of Object.keys(environment)) expect(envExampleKeys, `${name}: ${key}`).toContain(key);
      const config = loadConfig(resolveEnvironment(environment, { JWKS_URL: 'https://auth.example.org/.well-known/jwks.json' }));
      expect(config.postgres.external && config.neo4j.external && config.redis.external && config.qdrant.external).toBe(true);
    }
  });

  it('ships no key that production would accept: without one the services refuse to start', () => {
    for (const name of appServices) {
      const environment = resolveEnvironment(compose.services[name]?.environment ?? {});
      expect(environment.NODE_ENV).toBe('production');
      expect(() => loadConfig(environment), name).toThrow(/JWKS_URL: required in production/);
    }
  });

  it('ships no Grafana password: compose stops until .env sets one', () => {
    expect(compose.services.grafana?.environment?.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}$/);
    expect(compose.services.grafana?.environment?.GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
  });
});

describe('monitoring in docker-compose.yml', () => {
  const mountOf = (service: string, source: string): string | undefined =>
    compose.services[service]?.volumes?.map((volume) => volume.split(':')).find(([from]) => from === source)?.[1];
  const prometheusConfig = parse(readFileSync(deployFile('prometheus/prometheus.yml'), 'utf8')) as {
    scrape_configs: { job_name: string; authorization?: { type: string; credentials_file: string }; static_configs: { targets: string[] }[] }[];
  };

  it('mounts the checked-in Prometheus config, which scrapes every app service at its port with the metrics token', () => {
    expect(mountOf('prometheus', './deploy/prometheus/prometheus.yml')).toBe('/etc/prometheus/prometheus.yml');
    const scraped = Object.fromEntries(prometheusConfig.scrape_configs.map((job) => [job.job_name, job]));
    expect(Object.keys(scraped).sort()).toEqual(['gateway', 'knowledge', 'operations', 'search']);
    for (const [name, job] of Object.entries(scraped)) {
      const port = compose.services[name]?.environment?.[`${name.toUpperCase()}_PORT`];
      expect(job.static_configs.flatMap((config) => config.targets), name).toEqual([`${name}:${port}`]);
      // the entrypoint writes METRICS_TOKEN to the file the config names
      expect(job.authorization).toEqual({ type: 'Bearer', credentials_file: '/tmp/metrics-token' });
    }
    expect(compose.services.prometheus?.entrypoint?.join(' ')).toContain('> /tmp/metrics-token');
  });

  it("follows Grafana's provisioning format: a Prometheus data source, a file provider over the mounted dashboards", () => {
    const provisioning = mountOf('grafana', './deploy/grafana/provisioning');
    expect(provisioning).toBe('/etc/grafana/provisioning');
    const datasources = parse(readFileSync(deployFile('grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as {
      apiVersion: number;
      datasources: { name: string; type: string; uid: string; access: string; url: string }[];
    };
    expect(datasources.apiVersion).toBe(1);
    expect(datasources.datasources).toHaveLength(1);
    expect(datasources.datasources[0]).toMatchObject({ type: 'prometheus', access: 'proxy', url: 'http://prometheus:9090' });
    const providers = parse(readFileSync(deployFile('grafana/provisioning/dashboards/synapseflow.yml'), 'utf8')) as {
      apiVersion: number;
      providers: { name: string; type: string; orgId: number; options: { path: string } }[];
    };
    expect(providers.apiVersion).toBe(1);
    expect(providers.providers).toEqual([expect.objectContaining({ type: 'file', orgId: 1, options: expect.objectContaining({ path: mountOf('grafana', './deploy/grafana/dashboards') }) })]);
    expect(providers.providers[0]?.options.path).toBeTruthy();
  });

  it('checks in dashboards whose every panel reads the provisioned data source, laid out on the 24-column grid', async () => {
    const uid = (parse(readFileSync(deployFile('grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as { datasources: { uid: string }[] }).datasources[0]?.uid;
    const all = [...(await dashboards()).values()];
    expect(all.length).toBeGreaterThan(0);
    expect(new Set(all.map((dashboard) => dashboard.uid)).size).toBe(all.length);
    for (const dashboard of all) {
      expect(dashboard.schemaVersion, dashboard.title).toBeGreaterThanOrEqual(36);
      expect(new Set(dashboard.panels.map((panel) => panel.id)).size, dashboard.title).toBe(dashboard.panels.length);
      for (const panel of dashboard.panels) {
        expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
        if (panel.type === 'row') continue;
        expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid });
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) expect(target.datasource, panel.title).toEqual({ type: 'prometheus', uid });
      }
    }
  });
});

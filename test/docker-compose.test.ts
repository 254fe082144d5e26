import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config.js';
import { compose, resolveEnvironment } from './support/compose-file.js';

const root = join(import.meta.dirname, '..');

const envExampleKeys = new Set(
  [...readFileSync(join(root, '.env.example'), 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]),
);

describe('docker-compose.yml', () => {
  it('runs the four stores at the versions the project supports', () => {
    expect(compose.services.neo4j?.image).toBe('neo4j:5.26-community');
    expect(compose.services.neo4j?.environment?.NEO4J_PLUGINS).toBe('["apoc"]');
    expect(compose.services.neo4j?.environment?.NEO4J_dbms_security_procedures_unrestricted).toBe('apoc.*');
    expect(compose.services.postgres?.image).toBe('postgres:16');
    expect(compose.services.redis?.image).toBe('redis:7');
    expect(compose.services.qdrant?.image).toMatch(/^qdrant\/qdrant:v1\.\d+\.\d+$/);
  });

  it('gives every service a health check, and every store a named volume', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test, name).toBeDefined();
    }
    for (const store of ['neo4j', 'postgres', 'redis', 'qdrant']) {
      const volume = compose.services[store]?.volumes?.[0]?.split(':')[0];
      expect(volume && volume in compose.volumes, store).toBe(true);
    }
  });

  it('starts the gateway after the subgraphs, and the subgraphs after healthy stores', () => {
    expect(Object.keys(compose.services.gateway?.depends_on ?? {}).sort()).toEqual(['knowledge', 'operations', 'search']);
    for (const subgraph of ['knowledge', 'operations', 'search']) {
      const dependsOn = compose.services[subgraph]?.depends_on ?? {};
      expect(Object.keys(dependsOn).sort()).toEqual(['neo4j', 'postgres', 'qdrant', 'redis']);
      expect(Object.values(dependsOn).every((dependency) => dependency.condition === 'service_healthy')).toBe(true);
    }
  });

  it('configures the app services with the variables of .env.example, and valid values once a key is given', () => {
    for (const name of ['gateway', 'knowledge', 'operations', 'search']) {
      const environment = compose.services[name]?.environment ?? {};
      for (const key of Object.keys(environment)) expect(envExampleKeys, `${name}: ${key}`).toContain(key);
      const config = loadConfig(resolveEnvironment(environment, { JWKS_URL: 'https://auth.example.org/.well-known/jwks.json' }));
      expect(config.postgres.external && config.neo4j.external && config.redis.external && config.qdrant.external).toBe(true);
    }
  });

  it('ships no key that production would accept: without one the services refuse to start', () => {
    for (const name of ['gateway', 'knowledge', 'operations', 'search']) {
      const environment = resolveEnvironment(compose.services[name]?.environment ?? {});
      expect(environment.NODE_ENV).toBe('production');
      expect(() => loadConfig(environment), name).toThrow(/JWKS_URL: required in production/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { environmentVariables } from './config-env.js';
import { ConfigError, developmentJwtSecret, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.ports).toEqual({ gateway: 4000, knowledge: 4001, operations: 4002, search: 4003 });
    expect(config.postgres).toMatchObject({ url: 'postgres://synapseflow:synapseflow@127.0.0.1:5432/synapseflow', external: false });
    expect(config.neo4j).toMatchObject({ uri: 'bolt://127.0.0.1:7687', user: 'neo4j', external: false, heap: '768m' });
    expect(config.redis).toMatchObject({ url: 'redis://127.0.0.1:6379', external: false });
    expect(config.qdrant).toMatchObject({ url: 'http://127.0.0.1:6333', external: false });
    expect(config.stack.installMissing).toBe(false);
    expect(config.gateway).toMatchObject({ responseCache: true, responseCacheAdmitAfter: 2 });
  });

  it('marks a store as external when its URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db.internal:5433/app', QDRANT_URL: 'https://qdrant.internal' });
    expect(config.postgres).toMatchObject({ url: 'postgres://u:p@db.internal:5433/app', external: true });
    expect(config.qdrant.external).toBe(true);
    expect(config.neo4j.external).toBe(false);
  });

  it('derives local store URLs from the store ports', () => {
    const config = loadConfig({ REDIS_PORT: '6390', NEO4J_BOLT_PORT: '7700' });
    expect(config.redis.url).toBe('redis://127.0.0.1:6390');
    expect(config.neo4j.uri).toBe('bolt://127.0.0.1:7700');
  });

  it('installs missing servers by default under CI or tests only', () => {
    expect(loadConfig({ CI: 'true' }).stack.installMissing).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).stack.installMissing).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', STACK_INSTALL_MISSING: 'no' }).stack.installMissing).toBe(false);
  });

  it('names every bad variable and the value it got', () => {
    let error: unknown;
    try {
      loadConfig({ GATEWAY_PORT: 'eighty', DATABASE_URL: 'mysql://x', NEO4J_HEAP: 'lots', JWT_SECRET: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('GATEWAY_PORT');
    expect(message).toContain('"eighty"');
    expect(message).toContain('DATABASE_URL: must be a URL starting with postgres:// or postgresql://');
    expect(message).toContain('NEO4J_HEAP');
    expect(message).toContain('JWT_SECRET');
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  it('refuses to start production without a real token key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWKS_URL: required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: developmentJwtSecret })).toThrow(/development secret of .env.example is refused/);
    expect(loadConfig({ NODE_ENV: 'production', JWKS_URL: 'https://auth.example.org/jwks.json' }).auth).toMatchObject({ jwtSecret: undefined, jwksUrl: 'https://auth.example.org/jwks.json' });
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-secret-of-our-own-that-is-long-enough' }).auth.jwtSecret).toBe('a-secret-of-our-own-that-is-long-enough');
    expect(loadConfig({}).auth.jwtSecret).toBe(developmentJwtSecret);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', GATEWAY_PORT: '' }).postgres.external).toBe(false);
  });

  it('rejects ports out of range', () => {
    expect(() => loadConfig({ REDIS_PORT: '70000' })).toThrow(/REDIS_PORT/);
  });

  it('is documented: .env.example names every variable it reads', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
    expect(environmentVariables.filter((name) => !documented.has(name))).toEqual([]);
  });
});

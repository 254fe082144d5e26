import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  restart?: string;
  profiles?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

export const composeText = readFileSync(join(import.meta.dirname, '..', '..', 'docker-compose.yml'), 'utf8');

/** docker-compose.yml as compose reads it (YAML merge keys applied). */
export const compose = parse(composeText, { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};

/** A service's environment as compose hands it over: `${NAME:-fallback}` becomes `given[NAME]` or the fallback. */
export function resolveEnvironment(environment: ComposeService['environment'] = {}, given: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [key, String(value).replace(/\$\{([A-Z][A-Z0-9_]*):-([^}]*)\}/g, (_match, name: string, fallback: string) => given[name] ?? fallback)]),
  );
}

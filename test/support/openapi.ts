import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Validates Qdrant response bodies against Qdrant's published OpenAPI description
 * (`stack/qdrant/openapi.json`, a copy of the one Qdrant publishes), the contract of the stand-in.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

export const qdrantOpenApiPath = resolve(import.meta.dirname, '..', '..', 'stack', 'qdrant', 'openapi.json');

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const unsignedFormats = ['uint', 'uint8', 'uint16', 'uint32', 'uint64'];
const numberFormats = ['int32', 'int64', 'float', 'double'];

/** OpenAPI 3.0 `nullable` into JSON Schema: `{nullable: true}` alone means null, with a type it adds null. */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || key === 'example' || key === 'deprecated') continue;
    // `properties` maps names to schemas: convert the values, keep the names.
    out[key] =
      key === 'properties' && value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, toJsonSchema(schema)]))
        : toJsonSchema(value);
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.type === undefined && out.$ref === undefined && out.anyOf === undefined && out.oneOf === undefined) out.type = 'null';
    else return { anyOf: [out, { type: 'null' }] };
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

export interface QdrantContract {
  /** Throws with ajv's messages when `body` is not what the spec allows for this operation and status. */
  assertResponse(method: string, url: string, status: number, body: unknown): void;
  /** The spec's path template for a concrete URL path, if the spec has one. */
  operationPath(method: string, path: string): string | undefined;
}

export function loadQdrantContract(specPath = qdrantOpenApiPath): QdrantContract {
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Json> };
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const name of unsignedFormats) ajv.addFormat(name, { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
  for (const name of numberFormats) ajv.addFormat(name, { type: 'number', validate: () => true });
  ajv.addSchema({ $id: 'qdrant-openapi', components: toJsonSchema(spec.components as unknown as Json) } as object);

  const templates = Object.keys(spec.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    literal: template.split('/').filter((part) => !part.startsWith('{')).length,
  }));
  // Literal segments win over parameters: /points/scroll before /points/{id}.
  templates.sort((a, b) => b.literal - a.literal);
  const validators = new Map<string, ValidateFunction>();

  function operationPath(method: string, path: string): string | undefined {
    return templates.find(({ template, pattern }) => pattern.test(path) && spec.paths[template]?.[method.toLowerCase()] !== undefined)
      ?.template;
  }

  function validator(template: string, method: string, status: number): ValidateFunction {
    const key = `${method} ${template} ${status}`;
    const cached = validators.get(key);
    if (cached) return cached;
    const responses = spec.paths[template]?.[method.toLowerCase()]?.responses ?? {};
    const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    const schema = response?.content?.['application/json']?.schema;
    if (schema === undefined) throw new Error(`the spec has no JSON response for ${key}`);
    const rewritten = JSON.parse(JSON.stringify(toJsonSchema(schema)).replaceAll('"#/components/', '"qdrant-openapi#/components/')) as object;
    const compiled = ajv.compile(rewritten);
    validators.set(key, compiled);
    return compiled;
  }

  return {
    operationPath,
    assertResponse(method, url, status, body) {
      const path = new URL(url, 'http://localhost').pathname;
      const template = operationPath(method, path);
      if (template === undefined) throw new Error(`${method} ${path} is not in Qdrant's OpenAPI description`);
      const validate = validator(template, method, status);
      if (!validate(body)) {
        throw new Error(
          `${method} ${path} -> ${status}: body does not match the spec (${template}):\n${ajv.errorsText(validate.errors, { separator: '\n' })}\n${JSON.stringify(body).slice(0, 500)}`,
        );
      }
    },
  };
}

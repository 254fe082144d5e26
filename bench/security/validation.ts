import { readFile } from 'node:fs/promises';
import { Supergraph } from '@apollo/federation-internals';
import { getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import { loadConfig } from '../../lib/config.js';
import { createQueryPreflight } from '../../lib/query-preflight.js';
import { crossStoreQuery } from '../gateway/cross-store.js';

/**
 * `npm run bench:validation`: how long the gateway spends deciding about a document, for
 * families of documents built to be expensive (up to the body limit) and for real ones. A
 * document goes through the preflight (lib/query-preflight: parse once, the query limits) and,
 * when it passes, GraphQL's own validation, as in the gateway. Goal: none over 50 ms.
 */
const config = loadConfig({ LOG_LEVEL: 'fatal', ...process.env });
const schema = Supergraph.build(await readFile(config.gateway.supergraphFile, 'utf8')).schema.toAPISchema().toGraphQLJSSchema();
const maxBytes = config.limits.maxBodyBytes;
const goalMs = 50;
const repetitions = 5;

const fragments = (levels: number, type: string, field: string) =>
  Array.from({ length: levels }, (_, level) => (level === 0 ? `fragment F0 on ${type} { ${field} }` : `fragment F${level} on ${type} { ...F${level - 1} ...F${level - 1} }`)).join('\n');
/** As many copies of `part` as fit in the body limit with `around` text. */
const fill = (part: string, around: number) => Math.max(1, Math.floor((maxBytes - around) / part.length));

const families: [string, () => string][] = [
  ['the contract\'s cross-store query', () => crossStoreQuery],
  ['GraphiQL\'s introspection query', () => getIntrospectionQuery()],
  ...[10, 20, 30].map((levels): [string, () => string] => [`fragments spreading the previous twice, ${levels} levels`, () => `{ medicalEntity(id: "x") { ...F${levels - 1} } }\n${fragments(levels, 'MedicalEntity', 'name')}`]),
  ['the same field, to the body limit', () => `{ medicalEntity(id: "x") { ${'name '.repeat(fill('name ', 40))} } }`],
  ['the same field with arguments, to the body limit', () => `{ medicalEntity(id: "x") { ${'relations(first: 1) { type } '.repeat(fill('relations(first: 1) { type } ', 40))} } }`],
  ['the same field with arguments, 199 selections (at the cap)', () => `{ medicalEntity(id: "x") { ${'relations(first: 1) { type } '.repeat(99)} } }`],
  ['fragments side by side, to the body limit', () => {
    const count = fill('...G00000 fragment G00000 on MedicalEntity { name }\n', 60);
    return `{ medicalEntity(id: "x") { ${Array.from({ length: count }, (_, i) => `...G${i}`).join(' ')} } }\n${Array.from({ length: count }, (_, i) => `fragment G${i} on MedicalEntity { name }`).join('\n')}`;
  }],
  ['33 nested fragments side by side (at the caps)', () => `{ medicalEntity(id: "x") { ${Array.from({ length: 33 }, (_, i) => `...G${i}`).join(' ')} } }\n${Array.from({ length: 33 }, (_, i) => `fragment G${i} on MedicalEntity { name relations { type target { id name } } }`).join('\n')}`],
  ['50 fragments side by side (at the cap)', () => `{ medicalEntity(id: "x") { ${Array.from({ length: 50 }, (_, i) => `...G${i}`).join(' ')} } }\n${Array.from({ length: 50 }, (_, i) => `fragment G${i} on MedicalEntity { relations(first: ${i + 1}) { type } }`).join('\n')}`],
  ['aliases, to the body limit', () => `{ ${Array.from({ length: fill('a00000: __typename ', 10) }, (_, i) => `a${i}: __typename`).join(' ')} }`],
  ['30 aliases of a deep subtree (at the cap)', () => `{ ${Array.from({ length: 30 }, (_, i) => `e${i}: medicalEntity(id: "${i}") { relations { target { relations { target { name } } } } }`).join(' ')} }`],
  ['nesting, to the body limit', () => {
    const depth = fill('relations { target { } } ', 40);
    return `{ medicalEntity(id: "x") { ${'relations { target { '.repeat(depth)}id${' } }'.repeat(depth)} } }`;
  }],
  ['aliased __schema, to the body limit', () => `{ ${Array.from({ length: fill('s00000: __schema { types { name } } ', 10) }, (_, i) => `s${i}: __schema { types { name } }`).join(' ')} }`],
  ['__typename, to the token limit', () => `{ ${'__typename '.repeat(config.limits.maxTokens - 3)} }`],
];

const preflight = createQueryPreflight({ limits: config.limits, schema: () => schema, cacheSize: 1 });

function decide(query: string): { verdict: string; ms: number } {
  const started = performance.now();
  // a fresh copy each time: the preflight remembers parsed texts, an attacker varies them
  const text = `${query}\n# ${Math.random()}`;
  const refusal = preflight({ method: 'POST', search: '', body: { query: text } });
  if (refusal) return { verdict: `refused (${String(refusal.extensions.limit ?? refusal.message).slice(0, 24)})`, ms: performance.now() - started };
  let verdict = 'validated';
  try {
    const errors = validate(schema, parse(text, { maxTokens: config.limits.maxTokens }), specifiedRules);
    if (errors.length > 0) verdict = `invalid (${errors.length} errors)`;
  } catch {
    verdict = 'refused by the parser';
  }
  return { verdict, ms: performance.now() - started };
}

console.log(`validation: ${families.length} document families, worst of ${repetitions} after a warm-up, body limit ${maxBytes} bytes\n`);
console.log(`${'document'.padEnd(56)} ${'bytes'.padStart(7)}  ${'outcome'.padEnd(34)} ${'worst ms'.padStart(8)}`);
let worst = 0;
for (const [name, make] of families) {
  const query = make();
  decide(query);
  let slowest = { verdict: '', ms: 0 };
  for (let run = 0; run < repetitions; run += 1) {
    const outcome = decide(query);
    if (outcome.ms > slowest.ms) slowest = outcome;
  }
  worst = Math.max(worst, slowest.ms);
  console.log(`${name.padEnd(56)} ${String(Buffer.byteLength(query)).padStart(7)}  ${slowest.verdict.padEnd(34)} ${slowest.ms.toFixed(1).padStart(8)}`);
}
console.log(`\nslowest decision: ${worst.toFixed(1)} ms (goal: under ${goalMs} ms): ${worst < goalMs ? 'met' : 'NOT met'}`);
if (worst >= goalMs) process.exitCode = 1;

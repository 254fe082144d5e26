import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { signDevToken } from '../../lib/auth.js';
import { loadConfig } from '../../lib/config.js';
import { generateSeedGraph } from '../../subgraphs/knowledge/seed/generate.js';
import { startKnowledge } from '../../subgraphs/knowledge/server.js';
import { createNeo4jDriver } from '../../subgraphs/knowledge/store/driver.js';
import { ensureKnowledgeSchema } from '../../subgraphs/knowledge/store/schema-setup.js';
import { upsertEntities, upsertPatients, upsertRelations } from '../../subgraphs/knowledge/store/seed-writes.js';
import { percentile } from '../../lib/percentile.js';

/**
 * npm run bench:knowledge [-- --scale 10 --iterations 200]
 * Seeds the demo graph at the given scale (skipped when already there), starts the subgraph
 * on a free port and prints p50/p95 over HTTP for the three hot paths of the issue.
 */
const { values } = parseArgs({ options: { scale: { type: 'string', default: '10' }, iterations: { type: 'string', default: '200' } } });
const scale = Number(values.scale);
const iterations = Number(values.iterations);
const config = { ...loadConfig(), logLevel: 'warn' as const };
const driver = createNeo4jDriver(config.neo4j);
const graph = generateSeedGraph(scale);

async function seedUnlessPresent(): Promise<void> {
  await ensureKnowledgeSchema(driver);
  const last = graph.entities.at(-1)?.id ?? '';
  const { records } = await driver.executeQuery('MATCH (e:MedicalEntity {id: $id}) RETURN count(e) AS n', { id: last });
  if (records[0]?.get('n') === 1) return;
  const started = Date.now();
  for (let i = 0; i < graph.entities.length; i += 1000) await upsertEntities(driver, graph.entities.slice(i, i + 1000));
  for (let i = 0; i < graph.relations.length; i += 1000) await upsertRelations(driver, graph.relations.slice(i, i + 1000));
  await upsertPatients(driver, graph.patients);
  console.log(`seeded scale ${scale} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}


async function measure(name: string, run: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < 20; i += 1) await run(i);
  const times: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const start = performance.now();
    await run(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(48)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(7)} ms   (n=${iterations})`);
}

await seedUnlessPresent();
const service = await startKnowledge(config, 0, { driver, consumeFeedback: false });
const token = await signDevToken(config.auth, { sub: 'bench', role: 'clinician' });
async function post(query: string, variables: Record<string, unknown>): Promise<void> {
  const response = await fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
}

try {
  const ids = graph.entities.map((entity) => entity.id);
  const diseaseIds = graph.entities.filter((entity) => entity.type === 'DISEASE').map((entity) => entity.id);
  const terms = ['infliximab', 'crohn', 'lupus nephritis', 'joint pain', 'antibody', 'psoriasis', 'insulin', 'multiple sclerosis', 'biopsy', 'interleukin'];
  console.log(`knowledge bench: scale ${scale} (${graph.entities.length} entities, ${graph.relations.length} relationships)`);
  await measure('_entities: 100 MedicalEntity references', (i) => {
    const representations = Array.from({ length: 100 }, (_, k) => ({ __typename: 'MedicalEntity', id: ids[(i * 7919 + k * 104729) % ids.length] }));
    return post('query($r: [_Any!]!) { _entities(representations: $r) { ... on MedicalEntity { id name type layer confidence } } }', { r: representations });
  });
  await measure('searchEntities (first: 20)', (i) => post('query($t: String!) { searchEntities(text: $t) { id name type layer } }', { t: terms[i % terms.length] }));
  await measure('relations 2 hops (first: 20 per hop)', (i) =>
    post('query($id: ID!) { medicalEntity(id: $id) { relations(first: 20) { type target { name relations(first: 20) { type target { id name } } } } } }', { id: diseaseIds[i % diseaseIds.length] }),
  );
} finally {
  await service.stop();
  await driver.close();
}

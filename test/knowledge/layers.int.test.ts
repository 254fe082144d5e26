import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../lib/redis.js';
import { upsertEntities, upsertRelations, type EntityInput } from '../../subgraphs/knowledge/store/seed-writes.js';
import { removeTestData, startKnowledgeFixture } from './support/knowledge-fixture.js';

type Fixture = Awaited<ReturnType<typeof startKnowledgeFixture>>;
let kg: Fixture;
let redis: Redis;
const id = (name: string) => `${kg.prefix}${name}`;
const entity = (name: string, layer: EntityInput['layer'], confidence: number, extra: Partial<EntityInput> = {}): EntityInput => ({
  id: id(name), name: `${name} ${kg.prefix}`, type: 'DISEASE', description: 'layer test', layer, confidence, ...extra,
});

beforeAll(async () => {
  kg = await startKnowledgeFixture();
  redis = createRedis(kg.config.redis.url, 'knowledge-layers-test');
});

afterAll(async () => {
  await removeTestData(kg.driver, kg.prefix);
  await redis.del(`${kg.config.eventStreamPrefix}:entities`);
  redis.disconnect();
  await kg.stop();
});

async function layersOf(names: string[]): Promise<Record<string, string>> {
  const { records } = await kg.driver.executeQuery('UNWIND $ids AS id MATCH (e:MedicalEntity {id: id}) RETURN e.id AS id, e.layer AS layer', { ids: names.map(id) });
  return Object.fromEntries(records.map((record) => [(record.get('id') as string).slice(kg.prefix.length), record.get('layer') as string]));
}

const move = (mutation: 'promoteEntity' | 'demoteEntity', toLayer?: string) =>
  `mutation($id: ID!) { ${mutation}(id: $id, reason: "reviewed by the board"${toLayer ? `, toLayer: ${toLayer}` : ''}) { entityId fromLayer toLayer trigger reason } }`;

describe('layer promotion and demotion', () => {
  it('promotes and demotes one layer at a time, recording a LayerTransition with each change', async () => {
    await upsertEntities(kg.driver, [entity('manual', 'PERCEPTION', 0.4)]);
    expect(await kg.query(move('promoteEntity', 'SEMANTIC'), { id: id('manual') })).toEqual({
      data: { promoteEntity: { entityId: id('manual'), fromLayer: 'PERCEPTION', toLayer: 'SEMANTIC', trigger: 'manual', reason: 'reviewed by the board' } },
    });
    expect(await kg.query(move('promoteEntity'), { id: id('manual') }, { role: 'admin' })).toMatchObject({ data: { promoteEntity: { fromLayer: 'SEMANTIC', toLayer: 'REASONING' } } });
    expect(await kg.query(move('demoteEntity'), { id: id('manual') })).toMatchObject({ data: { demoteEntity: { fromLayer: 'REASONING', toLayer: 'SEMANTIC' } } });
    const history = await kg.query(`query($id: ID!) { medicalEntity(id: $id) { layer layerHistory { fromLayer toLayer trigger } } }`, { id: id('manual') });
    expect(history).toEqual({
      data: {
        medicalEntity: {
          layer: 'SEMANTIC',
          layerHistory: [
            { fromLayer: 'PERCEPTION', toLayer: 'SEMANTIC', trigger: 'manual' },
            { fromLayer: 'SEMANTIC', toLayer: 'REASONING', trigger: 'manual' },
            { fromLayer: 'REASONING', toLayer: 'SEMANTIC', trigger: 'manual' },
          ],
        },
      },
    });
    const events = await redis.xrange(`${kg.config.eventStreamPrefix}:entities`, '-', '+');
    const layersPublished = events.map(([, fields]) => JSON.parse(fields[fields.indexOf('payload') + 1] as string) as { id: string; layer: string }).filter((event) => event.id === id('manual'));
    expect(layersPublished.map((event) => event.layer)).toEqual(['SEMANTIC', 'REASONING', 'SEMANTIC']);
  });

  it('refuses a skipped layer, a move past either end and an unknown id, writing nothing', async () => {
    await upsertEntities(kg.driver, [entity('edge-low', 'PERCEPTION', 0.4), entity('edge-high', 'APPLICATION', 0.4)]);
    const skip = await kg.query(move('promoteEntity', 'REASONING'), { id: id('edge-low') });
    expect(skip.errors?.[0]).toMatchObject({ message: 'An entity in PERCEPTION can only move to SEMANTIC, not REASONING: layers are never skipped', extensions: { code: 'BAD_USER_INPUT' } });
    const below = await kg.query(move('demoteEntity'), { id: id('edge-low') });
    expect(below.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const above = await kg.query(move('promoteEntity'), { id: id('edge-high') });
    expect(above.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await kg.query(move('promoteEntity'), { id: id('missing') });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await layersOf(['edge-low', 'edge-high'])).toEqual({ 'edge-low': 'PERCEPTION', 'edge-high': 'APPLICATION' });
    const { records } = await kg.driver.executeQuery('MATCH (t:LayerTransition) WHERE t.entity_id IN $ids RETURN count(t) AS n', { ids: [id('edge-low'), id('edge-high')] });
    expect(records[0]?.get('n')).toBe(0);
  });

  it('promotes every eligible entity by the legacy rules in one batched scan, one layer each', async () => {
    await upsertEntities(kg.driver, [
      entity('p-confident', 'PERCEPTION', 0.9),
      entity('p-validated', 'PERCEPTION', 0.2, { validationCount: 3 }),
      entity('p-coded', 'PERCEPTION', 0.2, { ontologyCodes: ['SNOMED:34000006'] }),
      entity('p-stays', 'PERCEPTION', 0.84, { validationCount: 2 }),
      entity('s-confident', 'SEMANTIC', 0.95),
      entity('s-referenced', 'SEMANTIC', 0.3),
      entity('s-stays', 'SEMANTIC', 0.89),
      ...[1, 2, 3, 4, 5].map((n) => entity(`s-ref-${n}`, 'SEMANTIC', 0.3)),
      entity('r-busy', 'REASONING', 0.5),
      entity('r-uncached', 'REASONING', 0.5),
    ]);
    await upsertRelations(kg.driver, [1, 2, 3, 4, 5].map((n) => ({ from: id(`s-ref-${n}`), to: id('s-referenced'), type: 'ASSOCIATED_WITH' as const, layer: 'SEMANTIC' as const, confidence: 0.5 })));
    await upsertRelations(kg.driver, [1, 2, 3, 4].map((n) => ({ from: id(`s-ref-${n}`), to: id('s-stays'), type: 'ASSOCIATED_WITH' as const, layer: 'SEMANTIC' as const, confidence: 0.5 })));
    await kg.driver.executeQuery('MATCH (e:MedicalEntity) WHERE e.id IN $ids SET e.query_count_24h = 12, e.cache_hit_rate = CASE e.id WHEN $busy THEN 0.6 ELSE 0.4 END', {
      ids: [id('r-busy'), id('r-uncached')],
      busy: id('r-busy'),
    });

    const scan = await kg.query<{ promoteEligibleEntities: number }>('mutation { promoteEligibleEntities(batchSize: 2) }', {}, { role: 'admin' });
    expect(scan.errors).toBeUndefined();
    expect(scan.data?.promoteEligibleEntities).toBeGreaterThanOrEqual(6);
    expect(await layersOf(['p-confident', 'p-validated', 'p-coded', 'p-stays', 's-confident', 's-referenced', 's-stays', 'r-busy', 'r-uncached'])).toEqual({
      'p-confident': 'SEMANTIC', 'p-validated': 'SEMANTIC', 'p-coded': 'SEMANTIC', 'p-stays': 'PERCEPTION',
      's-confident': 'REASONING', 's-referenced': 'REASONING', 's-stays': 'SEMANTIC',
      'r-busy': 'APPLICATION', 'r-uncached': 'REASONING',
    });
    const { records } = await kg.driver.executeQuery(
      "MATCH (t:LayerTransition {trigger_type: 'automatic'}) WHERE t.entity_id STARTS WITH $prefix RETURN t.entity_id AS id, t.from_layer + '->' + t.to_layer AS step ORDER BY id",
      { prefix: kg.prefix },
    );
    expect(records.map((record) => `${(record.get('id') as string).slice(kg.prefix.length)} ${record.get('step') as string}`)).toEqual([
      'p-coded PERCEPTION->SEMANTIC', 'p-confident PERCEPTION->SEMANTIC', 'p-validated PERCEPTION->SEMANTIC',
      'r-busy REASONING->APPLICATION', 's-confident SEMANTIC->REASONING', 's-referenced SEMANTIC->REASONING',
    ]);
  });
});

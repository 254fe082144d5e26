import neo4j, { type Driver } from 'neo4j-driver';
import { layers, type EntityType, type Layer } from '../rules.js';
import { readRecords } from './driver.js';
import { toLuceneQuery } from '../../../lib/lucene-query.js';
import { entityProjection, type EntityRecord } from './records.js';

export interface EntitySearch {
  text: string;
  types: readonly EntityType[] | null;
  layer: Layer | null;
  first: number;
}

/** Full-text search over name and description (index medical_entity_text), best match first, in one statement. */
export async function searchEntities(driver: Driver, search: EntitySearch): Promise<EntityRecord[]> {
  const records = await readRecords(
    driver,
    `CALL db.index.fulltext.queryNodes('medical_entity_text', $query) YIELD node AS e, score
     WHERE ($layer IS NULL OR e.layer = $layer)
       AND ($types IS NULL OR any(label IN labels(e) WHERE toUpper(label) IN $types))
     RETURN ${entityProjection} AS entity ORDER BY score DESC, e.id LIMIT $first`,
    { query: toLuceneQuery(search.text), layer: search.layer, types: search.types, first: neo4j.int(search.first) },
  );
  return records.map((record) => record.get('entity') as EntityRecord);
}

/** Entities per layer, every layer listed (0 when empty). */
export async function readLayerStats(driver: Driver): Promise<{ layer: Layer; entities: number }[]> {
  const records = await readRecords(
    driver,
    `UNWIND range(0, size($layers) - 1) AS position
     OPTIONAL MATCH (e:MedicalEntity {layer: $layers[position]})
     WITH position, count(e) AS entities
     RETURN $layers[position] AS layer, entities ORDER BY position`,
    { layers: [...layers] },
  );
  return records.map((record) => ({ layer: record.get('layer') as Layer, entities: record.get('entities') as number }));
}

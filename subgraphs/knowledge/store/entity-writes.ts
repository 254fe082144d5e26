import type { Driver } from 'neo4j-driver';
import { badInput, notFound } from '../../../lib/errors.js';
import { labelOf, type EntityType, type Layer, type RelationType } from '../rules.js';
import { entityProjection, type EntityRecord, type RelationRecord } from './records.js';
import { searchKeysOf } from '../search/search-keys.js';

export interface EntityChange {
  id: string;
  name: string;
  type: EntityType;
  description: string | null;
  confidence: number;
  /** Only for a new entity: an existing one changes layer through promotion and demotion. */
  layer: Layer;
  /** Replaces the entity's synonyms; undefined keeps them. */
  synonyms?: readonly string[];
}

/**
 * Creates or updates one entity in the legacy shape; its type (second label) cannot change.
 * Its search keys are written in the same transaction, from its name, synonyms and codes.
 */
export async function saveEntity(driver: Driver, change: EntityChange): Promise<EntityRecord> {
  const session = driver.session();
  try {
    const entity = await session.executeWrite(async (tx) => {
      const saved = await tx.run(
        `MERGE (e:MedicalEntity {id: $id})
         ON CREATE SET e:Entity, e:$($label), e.type = $type, e.layer = $layer, e.created_at = toString(localdatetime())
         WITH e WHERE $label IN labels(e)
         SET e.name = $name, e.description = $description, e.confidence = $confidence, e.synonyms = coalesce($synonyms, e.synonyms, [])
         RETURN e.synonyms AS synonyms, e.ontology_codes AS ontologyCodes`,
        { ...change, synonyms: change.synonyms ?? null, label: labelOf(change.type) },
      );
      const record = saved.records[0];
      if (!record) return undefined;
      const keys = searchKeysOf({ name: change.name, synonyms: record.get('synonyms') as string[], ontologyCodes: record.get('ontologyCodes') as string[] | null });
      const keyed = await tx.run(`MATCH (e:MedicalEntity {id: $id}) SET e += $keys RETURN ${entityProjection} AS entity`, { id: change.id, keys });
      return keyed.records[0]?.get('entity') as EntityRecord;
    });
    if (!entity) throw badInput(`MedicalEntity ${change.id} exists with another type; a type never changes`, 'type');
    return entity;
  } finally {
    await session.close();
  }
}

export interface RelationChange {
  fromId: string;
  toId: string;
  type: RelationType;
  confidence: number;
  layer: Layer;
}

/** MERGEs one relationship (type from the closed RelationType set) and sets its layer and confidence. */
export async function saveRelation(driver: Driver, change: RelationChange): Promise<RelationRecord> {
  const { records } = await driver.executeQuery(
    `MATCH (a:MedicalEntity {id: $fromId}), (e:MedicalEntity {id: $toId})
     MERGE (a)-[r:$($type)]->(e)
     SET r.layer = $layer, r.confidence = $confidence
     RETURN { type: type(r), layer: r.layer, confidence: r.confidence, target: ${entityProjection} } AS relation`,
    { ...change },
  );
  const relation = records[0]?.get('relation') as RelationRecord | undefined;
  if (!relation) throw notFound('MedicalEntity', `${change.fromId} or ${change.toId}`);
  return relation;
}

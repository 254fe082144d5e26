import type { Driver } from 'neo4j-driver';
import { badInput, notFound } from '../../../lib/errors.js';
import { labelOf, type EntityType, type Layer, type RelationType } from '../rules.js';
import { entityProjection, type EntityRecord, type RelationRecord } from './records.js';

export interface EntityChange {
  id: string;
  name: string;
  type: EntityType;
  description: string | null;
  confidence: number;
  /** Only for a new entity: an existing one changes layer through promotion and demotion. */
  layer: Layer;
}

/** Creates or updates one entity in the legacy shape; its type (second label) cannot change. */
export async function saveEntity(driver: Driver, change: EntityChange): Promise<EntityRecord> {
  const { records } = await driver.executeQuery(
    `MERGE (e:MedicalEntity {id: $id})
     ON CREATE SET e:Entity, e:$($label), e.type = $type, e.layer = $layer, e.created_at = toString(localdatetime())
     WITH e WHERE $label IN labels(e)
     SET e.name = $name, e.description = $description, e.confidence = $confidence
     RETURN ${entityProjection} AS entity`,
    { ...change, label: labelOf(change.type) },
  );
  const entity = records[0]?.get('entity') as EntityRecord | undefined;
  if (!entity) throw badInput(`MedicalEntity ${change.id} exists with another type; a type never changes`, 'type');
  return entity;
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

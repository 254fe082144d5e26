import type { Driver } from 'neo4j-driver';
import { readRecords } from './driver.js';

/**
 * Which documents mention an entity: `mentioned_in_documents`, a set of document ids on the
 * entity (the legacy graph's Chunk-MENTIONS links, kept once the chunks have moved to Qdrant).
 * Adding ids again changes nothing; unknown entity ids are skipped.
 */

export async function linkDocumentMentions(driver: Driver, links: readonly { documentId: string; entityIds: readonly string[] }[]): Promise<void> {
  const byEntity = new Map<string, Set<string>>();
  for (const link of links) for (const entityId of link.entityIds) byEntity.set(entityId, (byEntity.get(entityId) ?? new Set()).add(link.documentId));
  if (byEntity.size === 0) return;
  await driver.executeQuery(
    `UNWIND $rows AS row
     MATCH (e:MedicalEntity {id: row.entityId})
     SET e.mentioned_in_documents = apoc.coll.toSet(coalesce(e.mentioned_in_documents, []) + row.documentIds)`,
    { rows: [...byEntity].map(([entityId, documentIds]) => ({ entityId, documentIds: [...documentIds].sort() })) },
  );
}

/** The ids of the documents that mention each entity (entities mentioned nowhere are left out). */
export async function readDocumentMentions(driver: Driver, entityIds: readonly string[]): Promise<Map<string, string[]>> {
  const records = await readRecords(driver, 'MATCH (e:MedicalEntity) WHERE e.id IN $entityIds AND e.mentioned_in_documents IS NOT NULL RETURN e.id AS id, e.mentioned_in_documents AS documents', { entityIds: [...entityIds] });
  return new Map(records.map((record) => [record.get('id') as string, [...(record.get('documents') as string[])].sort()]));
}

/** Forgets these documents' mentions (a rehearsal's, or documents removed for good). */
export async function unlinkDocumentMentions(driver: Driver, documentIds: readonly string[]): Promise<void> {
  if (documentIds.length === 0) return;
  await driver.executeQuery(
    `MATCH (e:MedicalEntity) WHERE any(id IN coalesce(e.mentioned_in_documents, []) WHERE id IN $documentIds)
     WITH e, [id IN e.mentioned_in_documents WHERE NOT id IN $documentIds] AS kept
     SET e.mentioned_in_documents = CASE WHEN size(kept) = 0 THEN null ELSE kept END`,
    { documentIds: [...documentIds] },
  );
}

import neo4j, { type Driver } from 'neo4j-driver';
import { layers, type EntityType, type Layer } from '../rules.js';
import { readRecords } from './driver.js';
import { entityQueryOf } from '../search/entity-query.js';
import { entityProjection, type EntityRecord } from './records.js';

/** Full-text hits ranked per search: enough that type and layer filters rarely starve the page. */
const candidateLimit = 1000;

export interface EntitySearch {
  text: string;
  types: readonly EntityType[] | null;
  layer: Layer | null;
  first: number;
}

/**
 * Entity search in one statement. Candidates come from two full-text indexes: folded names,
 * synonyms and codes (exact, prefix or fuzzy words) and name plus description as typed. Each is
 * then ranked by how its best name matches the whole query: the very name, every word as a
 * word, every word as a prefix, every word within its typos, then by how many words match.
 * Within a rank, diseases and drugs come before other clinical entities, and those before
 * studies and organisations (which merely contain a disease's name unless the query names
 * them: then they match more words and rank higher), then shorter names, then full-text score.
 */
export async function searchEntities(driver: Driver, search: EntitySearch): Promise<EntityRecord[]> {
  const query = entityQueryOf(search.text);
  const records = await readRecords(
    driver,
    `CALL () {
       CALL db.index.fulltext.queryNodes('medical_entity_names', $names, {limit: $candidates}) YIELD node, score RETURN node, score
       UNION ALL
       CALL db.index.fulltext.queryNodes('medical_entity_text', $text, {limit: $candidates}) YIELD node, score RETURN node, score * 0.25 AS score
     }
     WITH node AS e, max(score) AS score
     WHERE ($layer IS NULL OR e.layer = $layer)
       AND ($types IS NULL OR any(label IN labels(e) WHERE toUpper(label) IN $types))
     CALL (e) {
       UNWIND coalesce(e.search_names, [toLower(e.name)]) AS phrase
       WITH split(phrase, ' ') AS names
       WITH names, [q IN $words WHERE any(n IN names WHERE n STARTS WITH q.word
              OR apoc.text.levenshteinDistance(q.word, n) <= q.edits
              OR (size(n) > size(q.word) AND apoc.text.levenshteinDistance(q.word, left(n, size(q.word))) <= q.edits))] AS near
       RETURN min(CASE
           WHEN names = [q IN $words | q.word] THEN 0
           WHEN all(q IN $words WHERE q.word IN names) THEN 1
           WHEN all(q IN $words WHERE any(n IN names WHERE n STARTS WITH q.word)) THEN 2
           WHEN size(near) = size($words) THEN 3
           ELSE 4 END) AS rank,
         max(size(near)) AS matched
     }
     WITH e, score, rank, matched,
          CASE WHEN e:Disease OR e:Drug THEN 0 WHEN e:Study OR e:Organization THEN 2 ELSE 1 END AS kind
     RETURN ${entityProjection} AS entity
     ORDER BY rank, matched DESC, kind, size(split(e.name, ' ')), score DESC, e.id
     LIMIT $first`,
    {
      names: query.names,
      text: query.text,
      words: query.words,
      candidates: neo4j.int(candidateLimit),
      layer: search.layer,
      types: search.types,
      first: neo4j.int(search.first),
    },
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

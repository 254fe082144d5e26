import neo4j, { type Driver } from 'neo4j-driver';
import { readLegacy, writeLegacy } from '../legacy/driver.js';
import type { MigrationDomain } from '../stages/stage-rules.js';
import { archiveFileHash, readArchive, readManifest } from './archive-file.js';
import { SafetyGateRefusal } from '../safety-gate.js';
import { cypherName, digestDomain, domainLabels, type ArchivedNode, type ArchivedRelationship, type Endpoint } from './domain-graph.js';
import { decodeProperties, decodeValue } from './typed-values.js';

/**
 * Puts an archived domain back into the legacy store: its nodes with their labels and typed
 * values, then its relationships (to restored nodes, or to the nodes outside the domain they
 * pointed at, found again by labels and id). Refused while the store holds any of the
 * domain's data (that would duplicate it). Done when the checksum equals the archive's.
 */

export interface RestoreOutcome {
  nodes: number;
  relationships: number;
  /** Relationships whose node outside the domain is gone (named by type and the node's id). */
  unresolved: string[];
  checksum: string;
  matchesArchive: boolean;
}

const batchSize = 1000;

async function createNodes(legacy: Driver, nodes: readonly ArchivedNode[], created: Map<string, string>): Promise<void> {
  const byLabels = new Map<string, ArchivedNode[]>();
  for (const node of nodes) byLabels.set(node.labels.join(':'), [...(byLabels.get(node.labels.join(':')) ?? []), node]);
  for (const [key, group] of byLabels) {
    const labels = key.split(':').map(cypherName).join(':');
    const records = await writeLegacy(legacy, async (tx) =>
      (await tx.run(`UNWIND $rows AS row CREATE (n:${labels}) SET n = row.props RETURN row.ref AS ref, elementId(n) AS eid`, { rows: group.map((node) => ({ ref: node.ref, props: decodeProperties(node.props) })) })).records,
    );
    for (const record of records) created.set(record.get('ref') as string, record.get('eid') as string);
  }
}

/** Element ids of the nodes outside the domain that relationships point at, by `<labels>|<id>` (all its labels: an `id` is unique only within a kind). */
async function findOutside(legacy: Driver, relationships: readonly ArchivedRelationship[], found: Map<string, string | null>): Promise<void> {
  const wanted = new Map<string, { labels: string; id: unknown; key: string }>();
  for (const relationship of relationships) {
    for (const end of [relationship.start, relationship.end]) {
      if (!('outside' in end)) continue;
      const key = outsideKey(end);
      if (!found.has(key) && !wanted.has(key)) wanted.set(key, { labels: end.outside.labels.map((label) => `:${cypherName(label)}`).join(''), id: decodeValue(end.outside.id), key });
    }
  }
  const byLabels = new Map<string, { id: unknown; key: string }[]>();
  for (const want of wanted.values()) byLabels.set(want.labels, [...(byLabels.get(want.labels) ?? []), want]);
  for (const [labels, wants] of byLabels) {
    const records = await readLegacy(legacy, `UNWIND $wants AS want OPTIONAL MATCH (o${labels} {id: want.id}) RETURN want.key AS key, elementId(o) AS eid`, { wants });
    for (const record of records) found.set(record.get('key') as string, (record.get('eid') as string | null) ?? null);
  }
}

const outsideKey = (end: Extract<Endpoint, { outside: unknown }>) => `${end.outside.labels.join(':')}|${JSON.stringify(end.outside.id)}`;

async function createRelationships(legacy: Driver, relationships: readonly ArchivedRelationship[], created: Map<string, string>, outside: Map<string, string | null>, unresolved: string[]): Promise<number> {
  await findOutside(legacy, relationships, outside);
  const element = (end: Endpoint) => ('ref' in end ? created.get(end.ref) : outside.get(outsideKey(end))) ?? null;
  const byType = new Map<string, { a: string; b: string; props: Record<string, unknown> }[]>();
  for (const relationship of relationships) {
    const a = element(relationship.start);
    const b = element(relationship.end);
    if (!a || !b) {
      const missing = 'outside' in relationship.start && !a ? relationship.start : relationship.end;
      unresolved.push(`${relationship.type} to ${'outside' in missing ? `${missing.outside.labels.join(':')} ${JSON.stringify(missing.outside.id.v)}` : 'a node not in the archive'}`);
      continue;
    }
    byType.set(relationship.type, [...(byType.get(relationship.type) ?? []), { a, b, props: decodeProperties(relationship.props) }]);
  }
  let count = 0;
  for (const [type, rows] of byType) {
    await writeLegacy(legacy, (tx) => tx.run(`UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.a MATCH (b) WHERE elementId(b) = row.b CREATE (a)-[r:${cypherName(type)}]->(b) SET r = row.props`, { rows }));
    count += rows.length;
  }
  return count;
}

export async function restoreDomain(legacy: Driver, domain: MigrationDomain, archivePath: string, progress: (done: number) => void = () => undefined): Promise<RestoreOutcome> {
  const manifest = await readManifest(archivePath);
  const reasons: string[] = [];
  if (manifest.domain !== domain) reasons.push(`the archive holds ${manifest.domain}, not ${domain}`);
  if ((await archiveFileHash(archivePath)) !== manifest.fileSha256) reasons.push(`${archivePath} is not the file its manifest describes (damaged or replaced)`);
  for (const label of domainLabels[domain]) {
    const [record] = await readLegacy(legacy, `MATCH (n:${cypherName(label)}) RETURN count(n) AS count`);
    const present = neo4j.integer.toNumber(record?.get('count') as number);
    if (present > 0) reasons.push(`the legacy store holds ${present} ${label} nodes: restoring would duplicate them (clean up first)`);
  }
  if (reasons.length > 0) throw new SafetyGateRefusal(`restore of ${domain}`, reasons);

  const created = new Map<string, string>();
  const outside = new Map<string, string | null>();
  const unresolved: string[] = [];
  let nodes: ArchivedNode[] = [];
  let relationships: ArchivedRelationship[] = [];
  let relationshipCount = 0;
  for await (const item of readArchive(archivePath)) {
    if (item.kind === 'node') nodes.push(item);
    else relationships.push(item);
    // nodes come first in an archive: at its first relationship every node is read
    if (nodes.length >= batchSize || (item.kind === 'relationship' && nodes.length > 0)) {
      await createNodes(legacy, nodes, created);
      nodes = [];
      progress(created.size);
    }
    if (relationships.length >= batchSize) {
      relationshipCount += await createRelationships(legacy, relationships, created, outside, unresolved);
      relationships = [];
      progress(created.size + relationshipCount);
    }
  }
  await createNodes(legacy, nodes, created);
  relationshipCount += await createRelationships(legacy, relationships, created, outside, unresolved);
  const after = await digestDomain(legacy, domain);
  return { nodes: created.size, relationships: relationshipCount, unresolved, checksum: after.checksum, matchesArchive: after.checksum === manifest.checksum };
}

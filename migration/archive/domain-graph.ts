import { createHash } from 'node:crypto';
import neo4j, { type Driver } from 'neo4j-driver';
import type { MigrationDomain } from '../stages/stage-rules.js';
import { encodeProperties, encodeValue, type TypedValue } from './typed-values.js';

/**
 * A domain's legacy data as it is in Neo4j: every node with one of the domain's labels and
 * every relationship touching one, streamed (a domain can hold hundreds of thousands). A
 * relationship to a node outside the domain (a patient, a medical entity) names that node by
 * its labels and `id`: the archive never copies the knowledge graph, only points at it.
 */

export const domainLabels: Record<MigrationDomain, readonly string[]> = {
  sessions: ['ConversationSession', 'Message'],
  feedback: ['UserFeedback'],
  documents: ['Document', 'Chunk', 'DocumentQuality', 'ExtractedEntity'],
};

export interface ArchivedNode {
  kind: 'node';
  ref: string;
  labels: string[];
  props: Record<string, TypedValue>;
}

export type Endpoint = { ref: string } | { outside: { labels: string[]; id: TypedValue } };

export interface ArchivedRelationship {
  kind: 'relationship';
  type: string;
  start: Endpoint;
  end: Endpoint;
  props: Record<string, TypedValue>;
}

export type ArchivedItem = ArchivedNode | ArchivedRelationship;

/** A label or relationship type written into Cypher: only plain names (they come from the store or an archive file). */
export function cypherName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a plain label or relationship type name`);
  return `\`${name}\``;
}

async function* stream(driver: Driver, cypher: string, parameters: Record<string, unknown> = {}): AsyncGenerator<{ get(key: string): unknown }> {
  const session = driver.session({ defaultAccessMode: neo4j.session.READ, fetchSize: 2000 });
  try {
    for await (const record of session.run(cypher, parameters)) yield record;
  } finally {
    await session.close();
  }
}

/** The domain's nodes, then its relationships; each node gets a ref of the stream (`n1`, `n2`...) that relationships use. */
export async function* domainGraph(driver: Driver, domain: MigrationDomain): AsyncGenerator<ArchivedItem> {
  const labels = domainLabels[domain];
  const refs = new Map<string, string>();
  for (const label of labels) {
    for await (const record of stream(driver, `MATCH (n:${cypherName(label)}) RETURN elementId(n) AS eid, labels(n) AS labels, properties(n) AS props`)) {
      const eid = record.get('eid') as string;
      if (refs.has(eid)) continue;
      const ref = `n${refs.size + 1}`;
      refs.set(eid, ref);
      const nodeLabels = [...(record.get('labels') as string[])].sort();
      yield { kind: 'node', ref, labels: nodeLabels, props: encodeProperties(record.get('props') as Record<string, unknown>, `${nodeLabels.join(':')} ${ref}`) };
    }
  }
  const seen = new Set<string>();
  const endpoint = (eid: string, otherLabels: string[], id: unknown, type: string): Endpoint => {
    const ref = refs.get(eid);
    if (ref) return { ref };
    if (id === null || id === undefined) throw new Error(`a ${type} relationship leads to a node outside the domain without an id: the archive cannot point at it`);
    return { outside: { labels: [...otherLabels].sort(), id: encodeValue(id, `${type} endpoint id`) } };
  };
  for (const label of labels) {
    const outgoing = `MATCH (a:${cypherName(label)})-[r]->(b) RETURN elementId(r) AS rid, type(r) AS type, properties(r) AS props, elementId(a) AS a, elementId(b) AS b, labels(a) AS aLabels, labels(b) AS bLabels, a.id AS aId, b.id AS bId`;
    const incoming = `MATCH (a)-[r]->(b:${cypherName(label)}) RETURN elementId(r) AS rid, type(r) AS type, properties(r) AS props, elementId(a) AS a, elementId(b) AS b, labels(a) AS aLabels, labels(b) AS bLabels, a.id AS aId, b.id AS bId`;
    for (const cypher of [outgoing, incoming]) {
      for await (const record of stream(driver, cypher)) {
        const rid = record.get('rid') as string;
        if (seen.has(rid)) continue;
        seen.add(rid);
        const type = record.get('type') as string;
        yield {
          kind: 'relationship',
          type,
          start: endpoint(record.get('a') as string, record.get('aLabels') as string[], record.get('aId'), type),
          end: endpoint(record.get('b') as string, record.get('bLabels') as string[], record.get('bId'), type),
          props: encodeProperties(record.get('props') as Record<string, unknown>, type),
        };
      }
    }
  }
}

/**
 * Counts and a checksum of a domain's data that do not depend on where it is stored: node
 * refs are replaced by the content of the node they stand for, so data restored into new
 * nodes gives the checksum it had.
 */
export class GraphDigest {
  private readonly nodeHashes = new Map<string, string>();
  private readonly lineHashes: string[] = [];
  readonly counts: Record<string, number> = {};

  add(item: ArchivedItem): void {
    const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
    if (item.kind === 'node') {
      const nodeHash = hash([item.labels, item.props]);
      this.nodeHashes.set(item.ref, nodeHash);
      this.lineHashes.push(nodeHash);
      const key = `node:${item.labels.join(':')}`;
      this.counts[key] = (this.counts[key] ?? 0) + 1;
      return;
    }
    const side = (end: Endpoint) => ('ref' in end ? this.nodeHashes.get(end.ref) : end.outside);
    this.lineHashes.push(hash([item.type, item.props, side(item.start), side(item.end)]));
    const key = `relationship:${item.type}`;
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }

  checksum(): string {
    return createHash('sha256').update([...this.lineHashes].sort().join('\n')).digest('hex');
  }
}

/** The counts and checksum of a domain's legacy data as it is now. */
export async function digestDomain(driver: Driver, domain: MigrationDomain): Promise<{ counts: Record<string, number>; checksum: string }> {
  const digest = new GraphDigest();
  for await (const item of domainGraph(driver, domain)) digest.add(item);
  return { counts: digest.counts, checksum: digest.checksum() };
}

import neo4j from 'neo4j-driver';
import type { Random } from '../../../lib/seeded-random.js';
import { dateTime, hex, localIso, topics, uuid } from './generated-values.js';

/**
 * Legacy documents with their chunks, mentions and quality reports, quirks included: DateTime
 * and zone-less string times, missing titles, sources and statuses, documents without chunks or
 * quality, extracted entities named by a knowledge-graph id, by a name, or by a name the graph
 * does not know, a chunk no document links (an orphan), and values PostgreSQL refuses (a blank
 * filename, a score above 1) or the API cannot serve (an unknown status).
 */

/** What the documents are marked with and may mention (the dataset's options). */
export interface DocumentOptions {
  tag: string;
  concepts: { ids: readonly string[]; names: readonly string[] };
}

export interface GeneratedDocument {
  id: string;
  props: Record<string, unknown>;
  chunks: { id: string; sequence: neo4j.Integer; props: Record<string, unknown>; mentions: { id: string; name: string }[] }[];
  quality: Record<string, unknown> | null;
}

export interface GeneratedDocuments {
  documents: GeneratedDocument[];
  /** Chunks no document links. */
  orphanChunks: { id: string; props: Record<string, unknown> }[];
}

const scoreNames = ['information_density', 'structural_clarity', 'entity_coherence', 'context_sufficiency', 'contextual_relevancy'];

function mention(random: Random, options: DocumentOptions): { id: string; name: string } {
  const roll = random.next();
  if (roll < 0.05) return { id: `ext:${hex(random, 10)}`, name: `Unlisted syndrome ${random.int(1, 999)}` };
  if (roll < 0.4 && options.concepts.ids.length > 0) {
    const id = random.pick(options.concepts.ids);
    return { id, name: id };
  }
  const name = options.concepts.names.length > 0 ? random.pick(options.concepts.names) : 'Unknown condition';
  return { id: `ext:${hex(random, 10)}`, name };
}

export function generateDocuments(random: Random, options: DocumentOptions, count: number): GeneratedDocuments {
  const marker = { generated_by: options.tag };
  const documents: GeneratedDocument[] = [];
  for (let index = 0; index < count; index += 1) {
    const id = random.next() < 0.5 ? `doc:${hex(random, 12)}` : `doc:${uuid(random)}`;
    const createdMs = Date.UTC(2024, 6, 1) + random.int(0, 180 * 86_400) * 1000;
    const chunkCount = random.next() < 0.05 ? 0 : random.int(2, 6);
    const roll = random.next();
    const props: Record<string, unknown> = {
      ...marker, id, filename: random.next() < 0.01 ? '   ' : `${options.tag}-guide-${hex(random, 6)}.md`,
      created_at: random.next() < 0.3 ? dateTime(createdMs, random.int(0, 999)) : localIso(createdMs, random.int(0, 999)),
    };
    if (random.next() < 0.8) props.title = `Care guide ${random.int(1, 9999)}`;
    if (random.next() < 0.7) props.source = random.pick(['dda', 'upload', 'pdf']);
    if (roll < 0.01) props.status = 'indexed';
    else if (roll < 0.06) props.status = 'failed';
    else if (roll < 0.85) props.status = 'completed';
    const chunks = Array.from({ length: chunkCount }, (_, sequence) => ({
      id: `chunk:${hex(random, 12)}`,
      sequence: neo4j.int(sequence),
      props: { ...marker, text: `Section ${sequence + 1}: patients with ${random.pick(topics)} are followed up every ${random.int(2, 12)} weeks.` },
      mentions: Array.from({ length: random.int(0, 2) }, () => mention(random, options)),
    }));
    const quality =
      random.next() < 0.85
        ? {
            ...marker,
            ...Object.fromEntries(scoreNames.map((name) => [name, Math.round(random.next() * 100) / 100])),
            composite_score: random.next() < 0.01 ? 1.3 : Math.round(random.next() * 100) / 100,
            assessed_at: dateTime(createdMs + 3_600_000, 0),
          }
        : null;
    documents.push({ id, props, chunks, quality });
  }
  const orphanChunks = count > 0 ? [{ id: `chunk:${hex(random, 12)}`, props: { ...marker, text: 'a chunk whose document was lost' } }] : [];
  return { documents, orphanChunks };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { termIndex } from '../../subgraphs/search/lexical/lexical-vector.js';
import { chunkPointId } from '../../subgraphs/search/point-id.js';
import { createChunkStore, unannounced, type ChunkStore } from '../../subgraphs/search/store/chunk-store.js';
import { createEntityStore } from '../../subgraphs/search/store/entity-store.js';
import { createCollectionNames, createQdrantClient } from '../../subgraphs/search/store/qdrant.js';
import { createTestConfig, ingestViaEvent, publishEntity, startSearchEnv, waitFor, type SearchEnv } from './support/search-env.js';

/**
 * Hybrid passage search on the real stores: lexical vectors next to the dense ones, template
 * boilerplate counted and ranked lower, a message's mentions as a third candidate list, and
 * re-ingestion replacing both vectors. Diseases are invented, so only this file's words match.
 */
const boilerplate = `## Data Entities

### Patient
- **Description**: Core patient information and demographics
- **Key Attributes**: Patient ID, first name, last name, date of birth, gender, diagnosis date, disease type, severity classification, family history
- **Business Rules**: Patient ID must be unique; diagnosis date cannot be future; disease type must be valid

### Assessment
- **Description**: Clinical assessments and measurements
- **Key Attributes**: Assessment ID, patient ID, assessment date, assessment type, clinical score, severity level, physician notes
- **Business Rules**: Assessment date must follow the diagnosis date; clinical scores use validated instruments`;

const templated = (disease: string, stakeholders: string) => `# Data Delivery Agreement (DDA) - ${disease} Management

## Document Information
- **Domain**: ${disease} Management
- **Stakeholders**: ${stakeholders}
- **Data Owner**: Chief of ${disease} Care

## Business Context
The ${disease} Management domain supports comprehensive patient care, treatment monitoring, and research for ${disease.toLowerCase()} conditions.

${boilerplate}
`;

const registry = `# Severity Registry

## Registry Records
The registry keeps for every enrolled patient the diagnosis date, the disease type and its severity classification, and a family history taken at enrolment; each assessment adds a clinical score and the physician's notes.`;

const documents: Record<string, string> = {
  alpha: templated('Quarnitis', 'Nephrologists, Dermatologists'),
  beta: templated('Velmoria', 'Pulmonologists, Otolaryngologists'),
  gamma: templated('Ostrelia', 'Hepatologists, Dietitians'),
  delta: registry,
};

let env: SearchEnv;
let chunks: ChunkStore;

async function search(text: string, k = 5): Promise<{ documentId: string; score: number }[]> {
  const { data, errors } = await env.graphql<{ semanticSearch: { score: number; chunk: { document: { id: string } } }[] }>(
    'query($text: String!, $k: Int!) { semanticSearch(text: $text, k: $k) { score chunk { document { id } } } }',
    { text, k },
  );
  expect(errors).toBeUndefined();
  return (data?.semanticSearch ?? []).map((hit) => ({ documentId: hit.chunk.document.id, score: hit.score }));
}

async function passagesOf(message: { content: string; mentions: { id: string }[] }): Promise<string[]> {
  const { data, errors } = await env.graphql<{ _entities: { supportingPassages: { chunk: { document: { id: string } } }[] }[] }>(
    'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Message { supportingPassages(k: 3) { chunk { document { id } } } } } }',
    { representations: [{ __typename: 'Message', id: 'message-1', ...message }] },
    'service',
  );
  expect(errors).toBeUndefined();
  return (data?._entities[0]?.supportingPassages ?? []).map((hit) => hit.chunk.document.id);
}

beforeAll(async () => {
  env = await startSearchEnv(createTestConfig());
  chunks = createChunkStore(createQdrantClient(env.config.qdrant), createCollectionNames(env.config.qdrant.collectionPrefix).chunks, unannounced);
  await publishEntity(env, { id: 'test:quarnitis', name: 'Quarnitis', type: 'DISEASE', layer: 'SEMANTIC' });
  const entities = createEntityStore(createQdrantClient(env.config.qdrant), createCollectionNames(env.config.qdrant.collectionPrefix).entities);
  await waitFor(async () => (await entities.retrieve(['test:quarnitis'])).length === 1, 'entity sync');
  for (const [documentId, content] of Object.entries(documents)) {
    const { outcome } = await ingestViaEvent(env, { documentId, filename: `${documentId}.md`, content });
    expect(outcome.type).toBe('document.ingest.completed');
  }
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

describe('hybrid passage search', () => {
  it('stores a lexical vector next to the dense one, with the title words in it', async () => {
    const [point] = await chunks.retrieve([chunkPointId('beta', 0)], true);
    expect(point?.vector).toHaveLength(512);
    expect(point?.lexical?.indices).toContain(termIndex('velmoria'));
    expect(point?.lexical?.indices.length).toBe(point?.lexical?.values.length);
  });

  it('finds a document by a rare word its passages share with the question', async () => {
    const hits = await search('which stakeholders does velmoria management have?');
    expect(hits[0]?.documentId).toBe('beta');
  });

  it('counts how many documents repeat a template passage, and only those', async () => {
    const points = await chunks.forDocuments(['alpha', 'beta', 'gamma', 'delta']);
    const repeats = (documentId: string) => points.filter((point) => point.payload.document_id === documentId).map((point) => point.payload.template_repeats);
    // the Data Entities chunks are the same text in the three templated documents
    for (const documentId of ['alpha', 'beta', 'gamma']) expect(repeats(documentId)).toContain(3);
    expect(repeats('delta').every((count) => count === 1)).toBe(true);
    expect(points.filter((point) => point.payload.document_id === 'alpha' && point.payload.chunk_index === 0).map((point) => point.payload.template_repeats)).toEqual([1]);
  });

  it('ranks a passage of its own above template boilerplate that matches the question as well', async () => {
    const hits = await search('patient diagnosis date, disease type, severity classification, family history, clinical score and physician notes');
    expect(hits[0]?.documentId).toBe('delta');
  });

  it('uses the entities a message mentions for its supporting passages', async () => {
    const content = 'What does the Velmoria agreement keep about patients and their assessments?';
    const plain = await passagesOf({ content, mentions: [] });
    const withMention = await passagesOf({ content, mentions: [{ id: 'test:quarnitis' }] });
    expect(plain).not.toContain('alpha');
    expect(withMention).toContain('alpha');
  });

  it('replaces both vectors on re-ingestion, and recounts the template passages', async () => {
    const [before] = await chunks.retrieve([chunkPointId('gamma', 0)], true);
    const { outcome } = await ingestViaEvent(env, { documentId: 'gamma', filename: 'gamma.md', content: templated('Ostrelia', 'Zymurgists, Hepatologists').replace(boilerplate, '') }, 2);
    expect(outcome.type).toBe('document.ingest.completed');
    const [after] = await chunks.retrieve([chunkPointId('gamma', 0)], true);
    expect(after?.vector).not.toEqual(before?.vector);
    expect(after?.lexical?.indices).toContain(termIndex('zymurgist'));
    expect(before?.lexical?.indices).not.toContain(termIndex('zymurgist'));
    // first by words, and one of the two best fused (reciprocal-rank fusion ties rank 1 + 2 with 2 + 1)
    expect((await search('are zymurgists stakeholders?', 2)).map((hit) => hit.documentId)).toContain('gamma');
    const alpha = await chunks.forDocuments(['alpha']);
    expect(alpha.map((point) => point.payload.template_repeats)).toContain(2);
    expect(alpha.map((point) => point.payload.template_repeats)).not.toContain(3);
  });
});

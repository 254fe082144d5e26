import neo4j from 'neo4j-driver';
import { createRandom, type Random } from '../../../lib/seeded-random.js';
import { generateDocuments, type GeneratedDocuments } from './generate-documents.js';
import { dateTime, hex, localIso, pad, topics, uuid } from './generated-values.js';

/**
 * A legacy dataset in the shape of `docs/legacy-neo4j-model.md`, every quirk included: both id
 * formats, sessions without `patient_id`, `status` or title, DateTime and zone-less string
 * times, metadata as JSON strings or lists, concepts by id or by name, sessions without
 * messages, orphan messages, feedback about deleted sessions, thumbs, and values PostgreSQL
 * refuses (which the backfill must report, never drop), and documents (generate-documents.ts). Deterministic: a seed and a chunk
 * number always give the same records, so a large dataset is generated chunk by chunk.
 */

export interface DatasetOptions {
  /** Marks every generated node (`generated_by`), so a rehearsal knows its own data. */
  tag: string;
  seed: number;
  /** Entity ids and names feedback and messages may refer to (the knowledge graph's, when it has some). */
  concepts: { ids: readonly string[]; names: readonly string[] };
  /** Share of answers that got feedback; default 0.26 (about 2.6 feedback a session). */
  feedbackShare?: number;
}

export interface GeneratedNode {
  id: string;
  props: Record<string, unknown>;
}

export interface DatasetChunk {
  patients: GeneratedNode[];
  sessions: (GeneratedNode & { patientId: string })[];
  /** `sessionId` undefined: an orphan (no HAS_MESSAGE edge). */
  messages: (GeneratedNode & { sessionId: string | undefined; timestamp: string })[];
  feedback: (GeneratedNode & { entityIds: string[] })[];
  documents: GeneratedDocuments;
}

export const sessionsPerChunk = 200;
const patientsPerChunk = 40;

const feedbackTypes = ['helpful', 'unhelpful', 'incorrect', 'partially_correct', 'missing_info'] as const;
const layers = ['PERCEPTION', 'SEMANTIC', 'REASONING', 'APPLICATION'] as const;

function patientId(tag: string, number: number): string {
  // patient ids are free strings in the legacy store
  const forms = [`${tag}-pt-${pad(number, 5)}`, `patient:${tag}:${number}`, `${tag}.user${number}@example.org`];
  return forms[number % forms.length] as string;
}

/** Records of chunk `chunk` (its sessions, their messages and feedback, its patients). */
export function generateDatasetChunk(options: DatasetOptions, chunk: number, sessionCount = sessionsPerChunk): DatasetChunk {
  const random = createRandom(options.seed * 100_003 + chunk);
  const marker = { generated_by: options.tag };
  const patients = Array.from({ length: patientsPerChunk }, (_, index) => {
    const id = patientId(options.tag, chunk * patientsPerChunk + index);
    return { id, props: { ...marker, id, consent_given: true, pii_anonymized: true, data_retention_policy: 'standard', created_at: localIso(Date.UTC(2025, 0, 1), 0) } };
  });
  const result: DatasetChunk = { patients, sessions: [], messages: [], feedback: [], documents: { documents: [], orphanChunks: [] } };
  const concept = () => (random.next() < 0.5 && options.concepts.ids.length > 0 ? random.pick(options.concepts.ids) : options.concepts.names.length > 0 ? random.pick(options.concepts.names) : 'Unknown condition');
  const list = (values: string[]) => (random.next() < 0.5 ? JSON.stringify(values) : values);

  for (let index = 0; index < sessionCount; index += 1) {
    const number = chunk * sessionsPerChunk + index;
    const patient = random.pick(patients).id;
    const id = random.next() < 0.5 ? `session:${uuid(random)}` : `session:${hex(random, 12)}`;
    const startMs = Date.UTC(2025, 0, 1) + random.int(0, 300 * 86_400) * 1000 + random.int(0, 999);
    const status = random.next() < 0.002 ? 'paused' : random.pick(['active', 'ended', 'archived', undefined]);
    const props: Record<string, unknown> = { ...marker, id, started_at: random.next() < 0.1 ? dateTime(startMs, random.int(0, 999)) : localIso(startMs, random.int(0, 999)) };
    if (random.next() < 0.85) props.patient_id = patient;
    if (random.next() < 0.8) props.title = `Visit ${number}`;
    if (status) props.status = status;
    if (random.next() < 0.7) props.device_type = random.pick(['web', 'mobile']);
    if (status === 'ended') props.ended_at = localIso(startMs + 3_600_000, 0);
    result.sessions.push({ id, patientId: patient, props });

    const messageCount = random.next() < 0.05 ? 0 : random.int(2, 40);
    let at = startMs;
    for (let position = 0; position < messageCount; position += 1) {
      at += random.int(1, 120) * 1000 + random.int(0, 999);
      const assistant = position % 2 === 1;
      const messageId = random.next() < 0.5 ? `msg:${hex(random, 12)}` : `msg:${uuid(random)}`;
      const timestamp = random.next() < 0.0005 ? 'yesterday afternoon' : localIso(at, random.int(0, 999));
      const content = random.next() < 0.0005 ? `binary paste \u0000 from a device` : assistant ? `About ${random.pick(topics)}: this is what the guidelines say.` : `I have ${random.pick(topics)}.`;
      const message: Record<string, unknown> = { ...marker, id: messageId, role: position === 0 && random.next() < 0.05 ? 'system' : assistant ? 'assistant' : 'user', content, timestamp };
      if (random.next() < 0.9) message.patient_id = patient;
      if (assistant) {
        message.confidence = Math.round(random.next() * 100) / 100;
        message.response_id = `resp:${hex(random, 16)}`;
        message.query_time = Math.round(random.next() * 3000) / 1000;
        message.sources = list([`doc:${hex(random, 6)}`]);
        message.reasoning_trail = list(['retrieve', 'rank', 'answer']);
        message.related_concepts = list([concept(), concept()]);
      }
      result.messages.push({ id: messageId, sessionId: id, timestamp, props: message });
      if (assistant && random.next() < (options.feedbackShare ?? 0.26)) result.feedback.push(feedbackFor(random, options, marker, { sessionId: random.next() < 0.01 ? `session:${hex(random, 12)}` : id, patient, message, at }));
    }
  }
  const orphans = Math.max(1, Math.floor(result.messages.length / 500));
  for (let index = 0; index < orphans; index += 1) {
    const id = `msg:${hex(random, 12)}`;
    result.messages.push({ id, sessionId: undefined, timestamp: localIso(Date.UTC(2025, 5, 1), 0), props: { ...marker, id, role: 'user', content: 'a message whose session was lost', timestamp: localIso(Date.UTC(2025, 5, 1), 0) } });
  }
  result.documents = generateDocuments(random, options, Math.ceil(sessionCount / 20));
  return result;
}

function feedbackFor(random: Random, options: DatasetOptions, marker: Record<string, string>, about: { sessionId: string; patient: string; message: Record<string, unknown>; at: number }) {
  const thumbs = random.next() < 0.4;
  const up = random.next() < 0.6;
  const rating = random.next() < 0.002 ? 0 : thumbs ? (up ? 5 : 1) : random.int(1, 5);
  const entityIds = options.concepts.ids.length > 0 ? random.sample(options.concepts.ids, random.int(0, 2)) : [];
  const id = uuid(random);
  const props: Record<string, unknown> = {
    ...marker,
    feedback_id: id,
    response_id: about.message.response_id,
    patient_id: about.patient,
    session_id: about.sessionId,
    query_text: `I have ${random.pick(topics)} (case ${random.int(1, 50_000)}).`,
    response_text: about.message.content,
    rating: neo4j.int(rating),
    feedback_type: thumbs ? (up ? 'helpful' : 'unhelpful') : random.pick(feedbackTypes),
    entities_involved: entityIds,
    layers_traversed: random.sample(layers, random.int(1, 3)),
    created_at: dateTime(about.at + 60_000, random.int(0, 999)),
    layer: 'APPLICATION',
  };
  const severity = random.pick(['critical', 'high', 'medium', 'low', null]);
  if (severity && rating <= 2) props.severity = severity;
  if (!thumbs && random.next() < 0.3) props.correction_text = 'The dose is weekly, not daily.';
  return { id, props, entityIds };
}

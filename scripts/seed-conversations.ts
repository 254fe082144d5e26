import { createSeedingCaller, type GraphQLCaller } from '../lib/graphql-client.js';

/**
 * Demo conversations through the public API, as a client would make them: for each patient
 * of the knowledge graph, sessions whose messages mention the entities of the patient's
 * diagnoses, and feedback on the assistant's answers. Deterministic; a patient that already
 * has sessions is left alone, so a second run adds nothing.
 */

interface Patient {
  id: string;
  diagnoses: { condition: string }[];
  medications: { name: string }[];
}
interface EntityRef {
  id: string;
  name: string;
  type: string;
}

export interface SeedConversationsOptions {
  /** The gateway's GraphQL URL. */
  url: string;
  /** A token with role `service` (reads every patient, writes on their behalf). */
  token: string;
  /** The patients that get conversations (those without sessions yet). */
  patientIds: readonly string[];
  /** The operations subgraph's feedback limit per patient and entity a day: feedback cites an entity at most so often. */
  feedbackPerEntityPerDay: number;
  log?: (line: string) => void;
}

export interface SeedConversationsResult {
  sessions: number;
  messages: number;
  feedback: number;
  skippedPatients: number;
}

const questions = [
  (condition: string) => `What are the first-line treatments for ${condition}?`,
  (condition: string) => `Which symptoms of ${condition} should make me call my clinician?`,
  (condition: string) => `How is ${condition} usually monitored over time?`,
];

export async function seedConversations(options: SeedConversationsOptions): Promise<SeedConversationsResult> {
  const { url, token, log = () => undefined } = options;
  const call = createSeedingCaller(url, token, log);
  const result: SeedConversationsResult = { sessions: 0, messages: 0, feedback: 0, skippedPatients: 0 };

  for (const [patientIndex, patientId] of options.patientIds.entries()) {
    const { patient } = await call<{ patient: Patient | null }>(
      'query($id: ID!) { patient(id: $id) { id diagnoses { condition } medications { name } } }',
      { id: patientId },
    );
    if (!patient) throw new Error(`patient ${patientId} is not in the knowledge graph`);
    const existing = await call<{ sessions: { totalCount: number } }>(
      'query($patientId: ID!) { sessions(patientId: $patientId, first: 1) { totalCount } }',
      { patientId: patient.id },
    );
    if (existing.sessions.totalCount > 0) {
      result.skippedPatients += 1;
      continue;
    }
    const conditions = patient.diagnoses.map((diagnosis) => diagnosis.condition);
    const cited = new Map<string, number>();
    const citable = (entities: readonly EntityRef[]) =>
      entities.filter((entity) => (cited.get(entity.id) ?? 0) < options.feedbackPerEntityPerDay).map((entity) => {
        cited.set(entity.id, (cited.get(entity.id) ?? 0) + 1);
        return entity.id;
      });
    for (const [sessionIndex, condition] of conditions.slice(0, 2).entries()) {
      const mentions = await entitiesFor(call, condition, patient.medications.map((medication) => medication.name));
      const { startSession } = await call<{ startSession: { id: string } }>(
        'mutation($input: StartSessionInput!) { startSession(input: $input) { id } }',
        { input: { patientId: patient.id, title: `About my ${condition}`, device: sessionIndex % 2 === 0 ? 'web' : 'mobile' } },
      );
      result.sessions += 1;
      for (const [turn, question] of questions.entries()) {
        await postMessage(call, { sessionId: startSession.id, role: 'USER', content: question(condition), mentions: mentions.slice(0, 1).map((entity) => entity.id) });
        const responseId = `resp-${patient.id}-${sessionIndex}-${turn}`;
        await postMessage(call, {
          sessionId: startSession.id,
          role: 'ASSISTANT',
          content: answer(condition, mentions, turn),
          responseId,
          confidence: 0.72 + ((patientIndex + turn) % 5) * 0.05,
          mentions: mentions.map((entity) => entity.id),
        });
        result.messages += 2;
        const rating = ((patientIndex + sessionIndex + turn) % 5) + 1;
        await call(
          'mutation($input: FeedbackInput!) { submitFeedback(input: $input) { id } }',
          {
            input: {
              responseId,
              sessionId: startSession.id,
              rating,
              feedbackType: rating >= 4 ? 'HELPFUL' : rating === 3 ? 'PARTIALLY_CORRECT' : 'INCORRECT',
              severity: rating <= 2 ? 'MEDIUM' : null,
              correction: rating <= 3 ? `Please mention that ${condition} care plans are individual and reviewed with the care team.` : null,
              queryText: question(condition),
              responseText: answer(condition, mentions, turn),
              entityIds: citable(mentions),
              layers: ['SEMANTIC', 'REASONING'],
            },
          },
        );
        result.feedback += 1;
      }
      if (sessionIndex === 1) await call('mutation($id: ID!) { endSession(id: $id) { id } }', { id: startSession.id });
    }
    log(`seeded conversations for ${patient.id}`);
  }
  return result;
}

async function entitiesFor(call: GraphQLCaller, condition: string, medications: readonly string[]): Promise<EntityRef[]> {
  const found: EntityRef[] = [];
  const wanted = [{ text: condition, type: 'DISEASE' }, ...medications.slice(0, 2).map((text) => ({ text, type: 'DRUG' }))];
  for (const { text, type } of wanted) {
    const { searchEntities } = await call<{ searchEntities: EntityRef[] }>(
      'query($text: String!, $types: [EntityType!]) { searchEntities(text: $text, types: $types, first: 1) { id name type } }',
      { text, types: [type] },
    );
    for (const entity of searchEntities) if (!found.some((known) => known.id === entity.id)) found.push(entity);
  }
  return found;
}

function postMessage(call: GraphQLCaller, input: Record<string, unknown>): Promise<unknown> {
  return call('mutation($input: PostMessageInput!) { postMessage(input: $input) { id } }', { input });
}

function answer(condition: string, mentions: readonly EntityRef[], turn: number): string {
  const named = mentions.map((entity) => entity.name).join(', ') || condition;
  const openers = [
    `For ${condition}, care usually starts with an assessment of disease activity; relevant here: ${named}.`,
    `Warning signs in ${condition} include a sudden change in symptoms; keep an eye on ${named}.`,
    `${condition} is monitored with regular reviews, laboratory tests and symptom diaries; this involves ${named}.`,
  ];
  return `${openers[turn % openers.length]} Discuss any change with your care team before adjusting treatment.`;
}

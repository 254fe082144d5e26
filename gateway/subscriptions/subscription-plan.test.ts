import { buildSchema, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { planOperation, type SubscriptionPlan } from './subscription-plan.js';

const schema = buildSchema(`
  type Query { session(id: ID!): Session  message(id: ID!): Message }
  type Subscription { messageAdded(sessionId: ID!): Message!  sessionUpdated(patientId: ID!): Session! }
  type Session { id: ID!  title: String  messages(first: Int): [Message!]! }
  type Message { id: ID!  content: String!  session: Session! }
`);
const limits = { maxDepth: 6, maxAliases: 10, maxCost: 10_000, maxTokens: 500 };

const plan = (query: string, variables: Record<string, unknown> = {}, operationName?: string) => planOperation(schema, { query, variables, operationName: operationName ?? null }, limits) as SubscriptionPlan;
const refusal = (query: string, variables: Record<string, unknown> = {}) => {
  try {
    planOperation(schema, { query, variables }, limits);
  } catch (error) {
    return error as { message: string; extensions: Record<string, unknown> };
  }
  throw new Error('planned');
};

describe('planOperation', () => {
  it('turns messageAdded into the message query of each event, keeping alias, selection and fragments', () => {
    const planned = plan('subscription Live($s: ID!) { added: messageAdded(sessionId: $s) { ...M session { title } } } fragment M on Message { id content }', { s: 'session:1' });
    expect(planned).toMatchObject({ field: 'messageAdded', subjectId: 'session:1', topic: 'session:session:1', responseKey: 'added', operationName: 'Live', recordVariable: 'eventRecordId' });
    expect(planned.eventQuery).toBe(print(parse('query Live($eventRecordId: ID!) { added: message(id: $eventRecordId) { ...M session { title } } } fragment M on Message { id content }')));
  });

  it('keeps the variables the selection reads and picks a record variable the operation does not use', () => {
    const planned = plan('subscription ($p: ID!, $eventRecordId: Int) { sessionUpdated(patientId: $p) { id messages(first: $eventRecordId) { id } } }', { p: 'patient:7', eventRecordId: 3 });
    expect(planned).toMatchObject({ field: 'sessionUpdated', subjectId: 'patient:7', topic: 'patient:patient:7', responseKey: 'sessionUpdated', recordVariable: 'eventRecordId_' });
    expect(planned.eventQuery).toBe(print(parse('query ($eventRecordId: Int, $eventRecordId_: ID!) { sessionUpdated: session(id: $eventRecordId_) { id messages(first: $eventRecordId) { id } } }')));
  });

  it('hands queries and mutations back to be served once', () => {
    expect(planOperation(schema, { query: '{ session(id: "s") { id } }' }, limits)).toMatchObject({ kind: 'single', request: { query: '{ session(id: "s") { id } }' } });
  });

  it('refuses what it cannot serve, with a reason', () => {
    expect(refusal('subscription { messageAdded(sessionId: "s") { nope } }').message).toMatch(/Cannot query field "nope"/);
    expect(refusal('subscription { ... on Subscription { messageAdded(sessionId: "s") { id } } }').message).toMatch(/selects one field directly/);
    expect(refusal('subscription { messageAdded(sessionId: "s") @include(if: true) { id } }').message).toMatch(/takes no directive/);
    expect(refusal('subscription ($s: ID!) { messageAdded(sessionId: $s) { id } }').message).toMatch(/Variable "\$s" of required type "ID!" was not provided/);
    expect(refusal('subscription { messageAdded(sessionId: "") { id } }').extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sessionId' });
    expect(refusal('subscription {').extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED' });
    expect(refusal('subscription A { messageAdded(sessionId: "s") { id } } subscription B { sessionUpdated(patientId: "p") { id } }').message).toMatch(/name one in operationName/);
    expect(refusal('subscription { messageAdded(sessionId: "s") { session { messages { session { messages { session { messages { id } } } } } } } }').extensions).toMatchObject({ limit: 'depth' });
  });
});

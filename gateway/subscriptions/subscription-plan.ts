import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  parse,
  print,
  validate,
  visit,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { QueryLimitSettings } from '../../lib/config.js';
import { badInput } from '../../lib/errors.js';
import { checkQueryLimits } from '../../lib/query-limits.js';

/**
 * A subscription operation turned into what serves it: the topic of the session event stream it
 * follows, and the query that resolves each event through the supergraph (its root field
 * replaced by the entity's own query, with the same alias, arguments aside, and selection), so
 * every event is answered as a query would be, with the subscriber's permissions.
 */

/** Each subscription field: the events it follows and the query field that reads an event's record. */
const subscriptionFields = {
  messageAdded: { argument: 'sessionId', topic: (id: string) => `session:${id}`, recordField: 'message' },
  sessionUpdated: { argument: 'patientId', topic: (id: string) => `patient:${id}`, recordField: 'session' },
} as const;

export type SubscriptionField = keyof typeof subscriptionFields;

/** What a client sends: over WebSocket (graphql-ws `subscribe`) or Server-Sent Events. */
export interface OperationRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface SubscriptionPlan {
  /** The client's document, parsed. */
  document: DocumentNode;
  field: SubscriptionField;
  /** The id the field's argument names (a session's or a patient's). */
  subjectId: string;
  /** `session:<id>` or `patient:<id>`: the events it follows. */
  topic: string;
  /** The query run for each event, with the event's record id in `$<recordVariable>`. */
  eventQuery: string;
  recordVariable: string;
  variables: Record<string, unknown>;
  operationName: string | null;
  /** The key of the root field in each result (its alias, or its name). */
  responseKey: string;
}

/** A query or a mutation sent over a subscription transport: served once, as over HTTP. */
export interface SingleOperation {
  kind: 'single';
  document: DocumentNode;
  request: OperationRequest;
}

const requestError = (message: string) => new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });

/** The variable an event query reads its record id from: a name the client's operation does not use. */
function freeVariableName(operation: OperationDefinitionNode): string {
  const used = new Set((operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value));
  let name = 'eventRecordId';
  while (used.has(name)) name = `${name}_`;
  return name;
}

/** The root field of a subscription, selected directly (not through a fragment). */
function rootField(operation: OperationDefinitionNode): FieldNode {
  const [selection, ...others] = operation.selectionSet.selections;
  if (!selection || others.length > 0 || selection.kind !== Kind.FIELD) {
    throw requestError(`A subscription selects one field directly: ${Object.keys(subscriptionFields).join(' or ')}`);
  }
  if (selection.directives?.length) throw requestError('The root field of a subscription takes no directive');
  return selection;
}

/**
 * Parses, validates and checks the limits of an operation: a subscription becomes its plan; a
 * query or mutation is handed back to be served once. Throws GraphQLErrors a client can read.
 */
export function planOperation(schema: GraphQLSchema, request: OperationRequest, limits: QueryLimitSettings): SubscriptionPlan | SingleOperation {
  if (typeof request.query !== 'string' || request.query.trim() === '') throw requestError('The request has no query');
  let document: DocumentNode;
  try {
    document = parse(request.query, { maxTokens: limits.maxTokens });
  } catch (error) {
    throw new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  }
  const variables = request.variables ?? {};
  checkQueryLimits(schema, document, variables, limits);
  const errors = validate(schema, document);
  if (errors.length > 0) throw errors[0] as GraphQLError;
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (!operation) throw requestError(request.operationName ? `The document has no operation named "${request.operationName}"` : 'The document has several operations: name one in operationName');
  if (operation.operation !== 'subscription') return { kind: 'single', document, request };

  const field = rootField(operation);
  const name = field.name.value;
  if (!Object.hasOwn(subscriptionFields, name)) throw requestError(`Subscription.${name} is not served`);
  const served = subscriptionFields[name as SubscriptionField];
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0] as GraphQLError;
  const fieldDefinition = schema.getSubscriptionType()?.getFields()[name];
  if (!fieldDefinition) throw requestError(`Subscription.${name} is not in the schema`);
  const subjectId = getArgumentValues(fieldDefinition, field, coerced.coerced)[served.argument];
  if (typeof subjectId !== 'string' || subjectId === '') throw badInput(`${served.argument} must be a non-empty id`, served.argument);

  const recordVariable = freeVariableName(operation);
  const eventOperation: OperationDefinitionNode = {
    ...operation,
    operation: 'query' as OperationDefinitionNode['operation'],
    variableDefinitions: [
      ...(operation.variableDefinitions ?? []),
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: recordVariable } },
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
      },
    ],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        {
          ...field,
          alias: { kind: Kind.NAME, value: field.alias?.value ?? name },
          name: { kind: Kind.NAME, value: served.recordField },
          arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'id' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: recordVariable } } }],
        },
      ],
    },
  };
  // the fragments go along; the subscription's own argument variable is no longer read
  const eventDocument: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [eventOperation, ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)],
  };
  return {
    document,
    field: name as SubscriptionField,
    subjectId,
    topic: served.topic(subjectId),
    eventQuery: print(withoutUnusedVariables(eventDocument)),
    recordVariable,
    variables,
    operationName: operation.name?.value ?? null,
    responseKey: field.alias?.value ?? name,
  };
}

/** The same document without variable definitions nothing reads (GraphQL refuses unused variables). */
function withoutUnusedVariables(document: DocumentNode): DocumentNode {
  const used = new Set<string>();
  visit(document, {
    VariableDefinition: () => false,
    Variable: (node) => {
      used.add(node.name.value);
    },
  });
  return {
    ...document,
    definitions: document.definitions.map((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION ? { ...definition, variableDefinitions: (definition.variableDefinitions ?? []).filter((variable) => used.has(variable.variable.name.value)) } : definition,
    ),
  };
}

/** The topic an event of the session stream belongs to, for each field that follows it. */
export function eventTopic(event: { type: 'message.added'; payload: { sessionId: string; messageId: string } } | { type: 'session.updated'; payload: { patientId: string; sessionId: string } }): { topic: string; recordId: string } {
  return event.type === 'message.added'
    ? { topic: subscriptionFields.messageAdded.topic(event.payload.sessionId), recordId: event.payload.messageId }
    : { topic: subscriptionFields.sessionUpdated.topic(event.payload.patientId), recordId: event.payload.sessionId };
}

import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { QueryLimitSettings } from './config.js';
import { withHttpStatus } from './errors.js';

export type QueryLimits = Pick<QueryLimitSettings, 'maxDepth' | 'maxAliases' | 'maxCost'>;

export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
}

/** Arguments whose value bounds the length of a returned list. */
const sizeArguments = new Set(['first', 'last', 'k', 'limit']);
/** Assumed length of a list whose size is not given (no argument, no default, no variable value). */
export const assumedListSize = 10;
/** `__schema` and `__type` answer with (part of) the whole schema: each costs this much. */
export const introspectionCost = 2500;
/**
 * Syntactic bounds of a document, whatever its cost: GraphQL's own validation compares fields of
 * the same name and fragments pairwise, so their counts (not only the result's size) decide its
 * time. Real operations, GraphiQL's introspection query included, stay far below.
 */
export const maxFragmentSpreads = 50;
export const maxFieldSelections = 200;

/** Thrown by the walk as soon as a running figure passes its limit: nothing more is measured. */
export class QueryLimitExceeded extends Error {
  constructor(
    readonly limit: 'depth' | 'aliases' | 'cost' | 'fragment spreads' | 'field selections',
    readonly actual: number,
    readonly max: number,
  ) {
    super(`Operation ${limit} ${actual} exceeds the limit of ${max}`);
  }
}

type Variables = Readonly<Record<string, unknown>>;

/** The value of an argument: a literal int, or a variable's value when it is a number (or a list, for `representations`). */
function argumentValue(value: ValueNode | undefined, variables: Variables): unknown {
  if (!value) return undefined;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.LIST) return value.values;
  if (value.kind === Kind.VARIABLE) return variables[value.name.value];
  return undefined;
}

/**
 * The length a list field asks for: its `first`/`k`/... argument (literal or variable), else that
 * argument's default in the schema; `_entities` is as long as its representations. Undefined when unknown.
 */
function requestedSize(field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined, variables: Variables): number | undefined {
  if (field.name.value === '_entities') {
    const representations = argumentValue(field.arguments?.find((arg) => arg.name.value === 'representations')?.value, variables);
    return Array.isArray(representations) ? Math.max(1, representations.length) : undefined;
  }
  const sizeArg = field.arguments?.find((arg) => sizeArguments.has(arg.name.value));
  const given = argumentValue(sizeArg?.value, variables);
  if (typeof given === 'number' && Number.isFinite(given)) return Math.max(1, given);
  const declared = definition?.args.find((arg) => sizeArguments.has(arg.name) && (!sizeArg || arg.name === sizeArg.name.value));
  return typeof declared?.defaultValue === 'number' ? declared.defaultValue : undefined;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Variables;
  limits: QueryLimits;
  /** Measures of fragments at scale 1, by fragment, type, page size and introspection. */
  memo: Map<string, OperationMeasure>;
  inProgress: Set<string>;
}

/**
 * Measures one selection set at scale 1 (cost of one instance of its parent). `pageSize`: the
 * size a connection field asked for, which its `edges` list inherits. Inside introspection only
 * aliases count: its shape is bounded by the schema, but an alias repeats a whole answer.
 */
function measureSelections(walk: Walk, selectionSet: SelectionSetNode, parent: GraphQLCompositeType | undefined, pageSize: number | undefined, introspection: boolean): OperationMeasure {
  const total: OperationMeasure = { depth: 0, aliases: 0, cost: 0 };
  const add = (part: OperationMeasure, multiplier: number, extraDepth: number) => {
    total.aliases += part.aliases;
    if (total.aliases > walk.limits.maxAliases) throw new QueryLimitExceeded('aliases', total.aliases, walk.limits.maxAliases);
    total.cost += multiplier * part.cost;
    if (total.cost > walk.limits.maxCost) throw new QueryLimitExceeded('cost', total.cost, walk.limits.maxCost);
    total.depth = Math.max(total.depth, part.depth + extraDepth);
    if (total.depth > walk.limits.maxDepth) throw new QueryLimitExceeded('depth', total.depth, walk.limits.maxDepth);
  };
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      add(measureField(walk, selection, parent, pageSize, introspection), 1, 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      add(measureSelections(walk, selection.selectionSet, type && isCompositeType(type) ? type : undefined, pageSize, introspection), 1, 0);
    } else {
      const fragment = measureFragment(walk, selection.name.value, pageSize, introspection);
      if (fragment) add(fragment, 1, 0);
    }
  }
  return total;
}

function measureField(walk: Walk, field: FieldNode, parent: GraphQLCompositeType | undefined, pageSize: number | undefined, introspection: boolean): OperationMeasure {
  const name = field.name.value;
  const aliases = field.alias ? 1 : 0;
  const isIntrospection = introspection || name.startsWith('__');
  const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
  const named = definition ? getNamedType(definition.type) : name === '__schema' ? walk.schema.getType('__Schema') : name === '__type' ? walk.schema.getType('__Type') : undefined;
  const childType = named && isCompositeType(named) ? named : undefined;
  if (isIntrospection) {
    const child = field.selectionSet ? measureSelections(walk, field.selectionSet, childType, undefined, true) : { depth: 0, aliases: 0, cost: 0 };
    const rootCost = name === '__schema' || name === '__type' ? introspectionCost : 0;
    return { depth: 0, aliases: aliases + child.aliases, cost: rootCost };
  }
  const size = requestedSize(field, definition, walk.variables);
  const isList = name === '_entities' || (definition !== undefined && isListType(getNullableType(definition.type)));
  const multiplier = isList ? (size ?? pageSize ?? assumedListSize) : 1;
  const child = field.selectionSet ? measureSelections(walk, field.selectionSet, childType, isList ? undefined : size, false) : { depth: 0, aliases: 0, cost: 0 };
  return { depth: 1 + child.depth, aliases: aliases + child.aliases, cost: multiplier * (1 + child.cost) };
}

/** A fragment's measure, computed once per type, page size and introspection; a spread of a fragment being measured (a cycle) counts nothing. */
function measureFragment(walk: Walk, name: string, pageSize: number | undefined, introspection: boolean): OperationMeasure | undefined {
  const fragment = walk.fragments.get(name);
  if (!fragment) return undefined;
  const key = JSON.stringify([name, pageSize ?? null, introspection]);
  const known = walk.memo.get(key);
  if (known) return known;
  if (walk.inProgress.has(key)) return undefined;
  walk.inProgress.add(key);
  const type = walk.schema.getType(fragment.typeCondition.name.value);
  const measure = measureSelections(walk, fragment.selectionSet, type && isCompositeType(type) ? type : undefined, pageSize, introspection);
  walk.inProgress.delete(key);
  walk.memo.set(key, measure);
  return measure;
}

/** Fragment spreads and field selections as written (each counted once, not per expansion). */
function countSelections(document: DocumentNode): { spreads: number; fields: number } {
  const counts = { spreads: 0, fields: 0 };
  const pending: SelectionSetNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) pending.push(definition.selectionSet);
  }
  for (let selectionSet = pending.pop(); selectionSet; selectionSet = pending.pop()) {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) counts.spreads += 1;
      else {
        if (selection.kind === Kind.FIELD) counts.fields += 1;
        if (selection.selectionSet) pending.push(selection.selectionSet);
      }
    }
  }
  return counts;
}

/**
 * Measures one operation: selection depth, aliased fields (introspection included), and cost
 * (every field costs 1, multiplied by the sizes of the lists it sits in: the requested size,
 * literal or from `variables`, else the argument's schema default, else the enclosing
 * connection's page size, else `assumedListSize`; `__schema`/`__type` cost `introspectionCost`).
 * Each fragment is measured once; the walk throws QueryLimitExceeded as soon as a figure passes
 * `limits`, so a document that would expand exponentially costs no more than its size.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  options: { variables?: Variables; limits?: QueryLimits } = {},
): OperationMeasure {
  const limits = options.limits ?? { maxDepth: Infinity, maxAliases: Infinity, maxCost: Infinity };
  const walk: Walk = { schema, fragments, variables: options.variables ?? {}, limits, memo: new Map(), inProgress: new Set() };
  const root = schema.getRootType(operation.operation) ?? undefined;
  return measureSelections(walk, operation.selectionSet, root, undefined, false);
}

/**
 * Checks every operation of a document against the limits, with the request's variables; throws
 * a GraphQLError (HTTP 400, GRAPHQL_VALIDATION_FAILED, naming the limit and the figures) at the first
 * limit passed.
 */
export function checkQueryLimits(schema: GraphQLSchema, document: DocumentNode, variables: Variables | undefined, limits: QueryLimits): void {
  const { spreads, fields } = countSelections(document);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  try {
    if (spreads > maxFragmentSpreads) throw new QueryLimitExceeded('fragment spreads', spreads, maxFragmentSpreads);
    if (fields > maxFieldSelections) throw new QueryLimitExceeded('field selections', fields, maxFieldSelections);
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) measureOperation(schema, definition, fragments, { variables, limits });
    }
  } catch (error) {
    if (!(error instanceof QueryLimitExceeded)) throw error;
    const { limit, actual, max } = error;
    throw withHttpStatus(new GraphQLError(error.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, actual, max } }), 400);
  }
}

import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  type FieldNode,
  type GraphQLField,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
  type ValueNode,
} from 'graphql';

/** Depth, alias and cost limits; each must be a positive number. */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
}

/** Arguments whose value bounds the length of a returned list. */
const sizeArguments = new Set(['first', 'last', 'k', 'limit']);
/** Assumed length of a list whose size is not given as a literal (absent or a variable). */
export const assumedListSize = 10;

/**
 * The size a field asks for: its literal `first`/`k`/... argument, else that argument's default in
 * the schema, else undefined (a variable or no such argument).
 */
function requestedSize(field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined): number | undefined {
  const sizeArg = field.arguments?.find((arg) => sizeArguments.has(arg.name.value));
  const value: ValueNode | undefined = sizeArg?.value;
  if (value?.kind === Kind.INT) return Math.max(1, Number(value.value));
  const declared = definition?.args.find((arg) => sizeArguments.has(arg.name) && (!sizeArg || arg.name === sizeArg.name.value));
  return typeof declared?.defaultValue === 'number' ? declared.defaultValue : undefined;
}

/**
 * Measures an operation: selection depth, number of aliased fields, and cost (every field costs 1,
 * multiplied by the sizes of the lists it sits in: the requested size, else the argument's schema
 * default, else the enclosing connection's page size, else `assumedListSize`). Introspection (`__*` fields) is free: its shape
 * is bounded by the schema, and GraphiQL's own introspection query is deep.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
): OperationMeasure {
  let aliases = 0;
  // `pageSize`: the size a connection field (messages(first: 20)) asked for, which its `edges` list inherits.
  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType | undefined,
    seen: Set<string>,
    pageSize: number | undefined,
  ): { depth: number; cost: number } => {
    let depth = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        if (selection.alias) aliases += 1;
        const fieldDef = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
        const size = requestedSize(selection, fieldDef);
        const isList = fieldDef !== undefined && isListType(getNullableType(fieldDef.type));
        const multiplier = isList ? (size ?? pageSize ?? assumedListSize) : 1;
        const named = fieldDef ? getNamedType(fieldDef.type) : undefined;
        const child = selection.selectionSet
          ? walk(selection.selectionSet, named && isCompositeType(named) ? named : undefined, seen, isList ? undefined : size)
          : { depth: 0, cost: 0 };
        depth = Math.max(depth, 1 + child.depth);
        cost += multiplier * (1 + child.cost);
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments[selection.name.value] : selection;
      if (!fragment || (selection.kind === Kind.FRAGMENT_SPREAD && seen.has(selection.name.value))) continue;
      const typeName = fragment.typeCondition?.name.value;
      const type = typeName ? schema.getType(typeName) : parent;
      const inner = walk(
        fragment.selectionSet,
        type && isCompositeType(type) ? type : undefined,
        selection.kind === Kind.FRAGMENT_SPREAD ? new Set([...seen, selection.name.value]) : seen,
        pageSize,
      );
      depth = Math.max(depth, inner.depth);
      cost += inner.cost;
    }
    return { depth, cost };
  };
  const root = schema.getRootType(operation.operation) ?? undefined;
  const { depth, cost } = walk(operation.selectionSet, root, new Set(), undefined);
  return { depth, aliases, cost };
}

/** A validation rule rejecting operations deeper, more aliased or costlier than `limits`. */
export function createQueryLimitsRule(limits: QueryLimits): ValidationRule {
  return (context) => {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    }
    return {
      OperationDefinition(operation) {
        const measure = measureOperation(context.getSchema(), operation, fragments);
        const checks = [
          ['depth', measure.depth, limits.maxDepth],
          ['aliases', measure.aliases, limits.maxAliases],
          ['cost', measure.cost, limits.maxCost],
        ] as const;
        for (const [limit, actual, max] of checks) {
          if (actual > max) {
            context.reportError(
              new GraphQLError(`Operation ${limit} ${actual} exceeds the limit of ${max}`, { nodes: [operation], extensions: { limit, actual, max } }),
            );
          }
        }
      },
    };
  };
}

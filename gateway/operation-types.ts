import {
  Kind,
  TypeInfo,
  getNamedType,
  isCompositeType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutableDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * The object, interface and union types an operation selects (its root type excluded), following
 * the fragments it spreads. The response cache tags entries with them, and a mutation invalidates
 * every entry that touched a type the mutation returns.
 */
export function collectSelectedTypes(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Set<string> {
  const types = new Set<string>();
  const fragments = new Map(
    document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
  );
  const pending: ExecutableDefinitionNode[] = [operation];
  const visited = new Set<string>();
  while (pending.length > 0) {
    const node = pending.pop();
    if (!node) break;
    const typeInfo = new TypeInfo(schema);
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Field() {
          const type = typeInfo.getType();
          const named = type ? getNamedType(type) : undefined;
          if (named && isCompositeType(named)) types.add(named.name);
        },
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (fragment && !visited.has(spread.name.value)) {
            visited.add(spread.name.value);
            pending.push(fragment);
          }
        },
      }),
    );
  }
  return types;
}

const rememberedTypes = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, readonly string[]>>();

/**
 * `collectSelectedTypes` once per schema and parsed operation: Apollo Server hands a repeated
 * query the same parsed document (its document store), so a busy gateway walks each query once.
 */
export function selectedTypesOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): readonly string[] {
  let bySchema = rememberedTypes.get(schema);
  if (!bySchema) rememberedTypes.set(schema, (bySchema = new WeakMap()));
  let types = bySchema.get(operation);
  if (!types) bySchema.set(operation, (types = [...collectSelectedTypes(schema, document, operation)]));
  return types;
}

import {
  getNamedType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  type ConstDirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

export type CacheScope = 'PUBLIC' | 'PRIVATE';

/** A cache hint as `@cacheControl` gives it, and the policy of a response as hints narrow it. */
export interface CacheHint {
  maxAge?: number;
  scope?: CacheScope;
  inheritMaxAge?: boolean;
}

/** Narrows `policy` by `hint`: the shorter max-age, and PRIVATE over PUBLIC. */
export function restrictPolicy(policy: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge)) policy.maxAge = hint.maxAge;
  if (hint.scope === 'PRIVATE') policy.scope = 'PRIVATE';
  else if (hint.scope !== undefined && policy.scope === undefined) policy.scope = hint.scope;
}

function replaceHint(policy: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined) policy.scope = hint.scope;
}

function hintOfDirectives(directives: readonly ConstDirectiveNode[] | undefined): CacheHint | undefined {
  const directive = directives?.find((node) => node.name.value === 'cacheControl');
  if (!directive) return undefined;
  const argument = (name: string) => directive.arguments?.find((node) => node.name.value === name)?.value;
  const scopeValue = argument('scope');
  const scope = scopeValue?.kind === Kind.ENUM && (scopeValue.value === 'PUBLIC' || scopeValue.value === 'PRIVATE') ? scopeValue.value : undefined;
  const inherit = argument('inheritMaxAge');
  if (inherit?.kind === Kind.BOOLEAN && inherit.value) return { inheritMaxAge: true, ...(scope ? { scope } : {}) };
  const maxAge = argument('maxAge');
  return { ...(maxAge?.kind === Kind.INT ? { maxAge: Number.parseInt(maxAge.value, 10) } : {}), ...(scope ? { scope } : {}) };
}

function hintOfType(type: GraphQLCompositeType): CacheHint {
  return hintOfDirectives(type.astNode?.directives) ?? type.extensionASTNodes.map((node) => hintOfDirectives(node.directives)).find(Boolean) ?? {};
}

function hintOfField(field: GraphQLField<unknown, unknown>): CacheHint {
  return hintOfDirectives(field.astNode?.directives) ?? {};
}

/**
 * The cache policy of an operation's response, read from the operation and the schema's
 * `@cacheControl` hints alone, by the rules of Apollo Server's cache-control plugin: a field takes
 * its type's hint, then its own; a root field, and a field of an object type that does not inherit
 * its parent's max-age, without a max-age makes the response uncacheable (max-age 0); `_entities`
 * takes the hints of the entity types it selects (as @apollo/subgraph sets them while resolving).
 *
 * Apollo's plugin finds the same while it resolves, at a cost per field resolved (a wrapper around
 * every resolver); this walks each distinct document once. Every field selected counts, so a field
 * skipped at run time (a null parent, `@skip`) can only make the policy stricter than Apollo's.
 */
export function cachePolicyOf(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): CacheHint {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((definition) => definition.name?.value === operationName) : operations[0];
  const policy: CacheHint = {};
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return { maxAge: 0 };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const typeNamed = (name: string, fallback: GraphQLCompositeType) => {
    const type = schema.getType(name);
    return type && isCompositeType(type) ? type : fallback;
  };

  /** The concrete types a selection set names in its fragments (for `_entities`). */
  const typesSelected = (selectionSet: SelectionSetNode | undefined, fallback: GraphQLCompositeType, seen = new Set<string>()): GraphQLCompositeType[] =>
    (selectionSet?.selections ?? []).flatMap((selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT) return selection.typeCondition ? [typeNamed(selection.typeCondition.name.value, fallback)] : typesSelected(selection.selectionSet, fallback, seen);
      if (selection.kind !== Kind.FRAGMENT_SPREAD || seen.has(selection.name.value)) return [];
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      return fragment ? [typeNamed(fragment.typeCondition.name.value, fallback)] : [];
    });

  const walk = (parent: GraphQLCompositeType, selectionSet: SelectionSetNode, atRoot: boolean, spreads: Set<string>): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.typeCondition ? typeNamed(selection.typeCondition.name.value, parent) : parent, selection.selectionSet, atRoot, spreads);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || spreads.has(fragment.name.value)) continue;
        walk(typeNamed(fragment.typeCondition.name.value, parent), fragment.selectionSet, atRoot, new Set([...spreads, fragment.name.value]));
        continue;
      }
      // meta fields (__typename, __schema, __type) are resolved by GraphQL itself, without a hint
      if (selection.name.value.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field) continue;
      const target = getNamedType(field.type);
      const fieldPolicy: CacheHint = {};
      let inheritMaxAge = false;
      if (isCompositeType(target)) {
        const typeHint = hintOfType(target);
        replaceHint(fieldPolicy, typeHint);
        inheritMaxAge = Boolean(typeHint.inheritMaxAge);
      }
      const fieldHint = hintOfField(field);
      if (fieldHint.inheritMaxAge && fieldPolicy.maxAge === undefined) {
        inheritMaxAge = true;
        if (fieldHint.scope) replaceHint(fieldPolicy, { scope: fieldHint.scope });
      } else {
        replaceHint(fieldPolicy, fieldHint);
      }
      if (atRoot && field.name === '_entities' && isCompositeType(target)) {
        const entityHints = typesSelected(selection.selectionSet, target).map(hintOfType);
        if (entityHints.length > 0 && entityHints.every((hint) => hint.maxAge !== undefined)) for (const hint of entityHints) restrictPolicy(fieldPolicy, hint);
      }
      if (fieldPolicy.maxAge === undefined && ((isCompositeType(target) && !inheritMaxAge) || atRoot)) fieldPolicy.maxAge = 0;
      restrictPolicy(policy, fieldPolicy);
      if (selection.selectionSet && isCompositeType(target)) walk(target, selection.selectionSet, false, spreads);
    }
  };
  walk(root, operation.selectionSet, true, new Set());
  return policy;
}

import DataLoader from 'dataloader';
import { Kind, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo, type GraphQLSchema, type InlineFragmentNode } from 'graphql';

/** The reference resolver @apollo/subgraph calls once per representation (set by @neo4j/graphql). */
type ResolveReference = (reference: Record<string, unknown>, context: LibraryContext, info: GraphQLResolveInfo) => Promise<unknown>;

/** The parts of @neo4j/graphql's per-request context this module relies on. */
interface LibraryContext {
  executor: { execute(...args: unknown[]): Promise<{ records: { toObject(): Record<string, unknown> }[] }> };
  references: ReferenceLoader;
}

interface PendingReference {
  typename: string;
  id: string;
  context: LibraryContext;
  info: GraphQLResolveInfo;
}

export type ReferenceLoader = DataLoader<PendingReference, unknown, string>;
/** What a reference with no node (or one the caller may not see) resolves to. */
export type MissingReference = (typename: string, id: string, context: LibraryContext) => unknown;

/** Hidden alias added to the selection so each returned row says which id it answers. */
const keyAlias = 'batchReferenceKey_';

/**
 * Replaces @neo4j/graphql's per-representation `__resolveReference` on `typeNames` with a batched
 * one: every representation of a type in one `_entities` call is answered by a single Cypher
 * statement, produced by the library's own translation with an `id IN [...]` filter, so
 * @authorization rules, @cypher fields and nested selections keep working unchanged.
 * Returns the factory of the per-request loader the context must expose as `references`.
 */
export function installBatchedReferenceResolvers(schema: GraphQLSchema, typeNames: readonly string[], onMissing: MissingReference): () => ReferenceLoader {
  const single = new Map<string, ResolveReference>();
  for (const name of typeNames) {
    // @apollo/subgraph keeps __resolveReference in the type's extensions.
    const subgraph = (schema.getType(name) as GraphQLObjectType | undefined)?.extensions.apollo as { subgraph?: { resolveReference?: ResolveReference } } | undefined;
    const resolveOne = subgraph?.subgraph?.resolveReference;
    if (!subgraph?.subgraph || !resolveOne) throw new Error(`${name} has no reference resolver to batch`);
    single.set(name, resolveOne);
    subgraph.subgraph.resolveReference = (reference, context, info) =>
      context.references.load({ typename: name, id: String(reference.id), context, info });
  }

  async function resolveType(typename: string, group: readonly PendingReference[]): Promise<Map<string, unknown>> {
    const [first] = group;
    const resolveOne = single.get(typename);
    if (!first || !resolveOne) return new Map();
    const ids = [...new Set(group.map((pending) => pending.id))];
    let rows: Record<string, unknown>[] = [];
    const { executor } = first.context;
    // The library returns only the first row; capture all of them at the executor.
    const capturing: LibraryContext = {
      ...first.context,
      executor: {
        execute: async (...args) => {
          const result = await executor.execute(...args);
          rows = result.records.map((record) => record.toObject().this as Record<string, unknown>);
          return result;
        },
      },
    };
    await resolveOne({ __typename: typename, id: { in: ids } }, capturing, withKeyField(first.info, typename));
    return new Map(rows.map((row) => [String(row[keyAlias]), row]));
  }

  return () =>
    new DataLoader<PendingReference, unknown, string>(
      async (pending) => {
        const typenames = [...new Set(pending.map((p) => p.typename))];
        const found = new Map(await Promise.all(typenames.map(async (t) => [t, await resolveType(t, pending.filter((p) => p.typename === t))] as const)));
        return pending.map((p) => found.get(p.typename)?.get(p.id) ?? onMissing(p.typename, p.id, p.context));
      },
      { cacheKeyFn: (pending) => `${pending.typename}:${pending.id}` },
    );
}

/** The `_entities` field with `... on <typename> { batchReferenceKey_: id }` appended. */
function withKeyField(info: GraphQLResolveInfo, typename: string): GraphQLResolveInfo {
  const [field, ...rest] = info.fieldNodes;
  if (!field?.selectionSet) return info;
  const keyFragment: InlineFragmentNode = {
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: typename } },
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [{ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: keyAlias }, name: { kind: Kind.NAME, value: 'id' } }],
    },
  };
  const extended: FieldNode = { ...field, selectionSet: { ...field.selectionSet, selections: [...field.selectionSet.selections, keyFragment] } };
  return { ...info, fieldNodes: [extended, ...rest] };
}

import { isEnumType, isObjectType, isInterfaceType, isScalarType, type GraphQLFieldResolver, type GraphQLScalarType, type GraphQLSchema } from 'graphql';

/** A field resolver of a subgraph whose context is `TContext` (also the shape of `__resolveReference(reference, context)`). */
export type FieldResolver<TContext> = GraphQLFieldResolver<any, TContext, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The resolvers of one object type: its fields, and `__resolveReference` for an entity. */
export type TypeResolvers<TContext> = Record<string, FieldResolver<TContext>>;

/** Resolver maps as @apollo/subgraph takes them: object types, custom scalars, and enum value maps. */
export type Resolvers<TContext> = Record<string, TypeResolvers<TContext> | GraphQLScalarType | Record<string, string | number>>;

/**
 * Merges the resolver maps of several files type by type. A field (or enum or scalar) given
 * twice is a mistake that spreading the maps would hide (the later map silently replaces the
 * earlier): it throws.
 */
export function mergeResolvers<TContext>(...maps: Resolvers<TContext>[]): Resolvers<TContext> {
  const merged: Record<string, Record<string, unknown> | GraphQLScalarType> = {};
  for (const map of maps) {
    for (const [typeName, entry] of Object.entries(map)) {
      const existing = merged[typeName];
      if (isScalarType(entry) || isScalarType(existing)) {
        if (existing) throw new Error(`Resolvers: ${typeName} is given twice`);
        merged[typeName] = entry;
        continue;
      }
      const target = (merged[typeName] ??= {}) as Record<string, unknown>;
      for (const [field, resolver] of Object.entries(entry)) {
        if (field in target) throw new Error(`Resolvers: ${typeName}.${field} is given twice`);
        target[field] = resolver;
      }
    }
  }
  return merged as Resolvers<TContext>;
}

/** Every type, field and enum value a resolver map names exists in the schema; throws naming the first that does not. */
export function checkResolversAgainstSchema<TContext>(schema: GraphQLSchema, resolvers: Resolvers<TContext>): void {
  for (const [typeName, entry] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!type) throw new Error(`Resolvers name the type ${typeName}, which the schema does not have`);
    if (isScalarType(entry)) continue;
    if (isEnumType(type)) {
      for (const value of Object.keys(entry)) {
        if (!type.getValue(value)) throw new Error(`Resolvers name the enum value ${typeName}.${value}, which the schema does not have`);
      }
      continue;
    }
    if (!isObjectType(type) && !isInterfaceType(type)) throw new Error(`Resolvers give fields to ${typeName}, which has none`);
    const fields = type.getFields();
    for (const field of Object.keys(entry)) {
      if (field !== '__resolveReference' && !fields[field]) throw new Error(`Resolvers name the field ${typeName}.${field}, which the schema does not have`);
    }
  }
}

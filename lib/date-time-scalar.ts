import { GraphQLScalarType, Kind } from 'graphql';
import { badInput } from './errors.js';

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw badInput('DateTime must be an ISO-8601 string');
  return date;
}

/** The contract's `DateTime`: ISO-8601 in UTC with milliseconds, e.g. 2026-01-14T09:31:02.123Z. */
export const dateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value.toISOString() : parseDate(value).toISOString()),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

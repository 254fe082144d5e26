import { GraphQLScalarType, Kind } from 'graphql';
import { badInput } from '../../../lib/errors.js';

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw badInput('DateTime must be an ISO-8601 string');
  return date;
}

/** ISO-8601 in UTC with milliseconds, e.g. 2026-01-14T09:31:02.123Z. */
export const dateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value.toISOString() : parseDate(value).toISOString()),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** Contract enum values to the lower-case values the database stores (Layer is stored as is). */
export const enumResolvers = {
  SessionStatus: { ACTIVE: 'active', ENDED: 'ended', ARCHIVED: 'archived' },
  MessageRole: { USER: 'user', ASSISTANT: 'assistant', SYSTEM: 'system' },
  FeedbackType: {
    HELPFUL: 'helpful',
    UNHELPFUL: 'unhelpful',
    INCORRECT: 'incorrect',
    PARTIALLY_CORRECT: 'partially_correct',
    MISSING_INFO: 'missing_info',
  },
  Severity: { CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low' },
  DocumentStatus: { PENDING: 'pending', PROCESSING: 'processing', COMPLETED: 'completed', FAILED: 'failed' },
};

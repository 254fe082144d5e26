import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { badInput, createFormatError, forbidden, unauthenticated } from './errors.js';

const lines: string[] = [];
const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
const formatError = createFormatError(logger);
const wrap = (error: Error) => new GraphQLError(error.message, { originalError: error, path: ['field'] });

describe('createFormatError', () => {
  it('passes application errors through with their code', () => {
    const error = badInput('rating must be between 1 and 5', 'rating');
    const formatted = formatError(error.toJSON(), wrap(error));
    expect(formatted).toMatchObject({ message: 'rating must be between 1 and 5', extensions: { code: 'BAD_USER_INPUT', field: 'rating' } });
  });

  it('sets HTTP 401 for missing credentials, but leaves a FORBIDDEN field as one error beside the data', () => {
    const denied = forbidden();
    expect(formatError(denied.toJSON(), wrap(denied)).extensions).toEqual({ code: 'FORBIDDEN' });
    const anonymous = unauthenticated();
    expect(formatError(anonymous.toJSON(), wrap(anonymous)).extensions).toMatchObject({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });

  it('masks unexpected errors and logs them', () => {
    const error = new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
    const formatted = formatError({ message: error.message, path: ['field'] }, wrap(error));
    expect(formatted).toEqual({ message: 'Internal server error', path: ['field'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(lines.some((line) => line.includes('ECONNREFUSED'))).toBe(true);
  });
});

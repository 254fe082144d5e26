import type { ReportedRecord } from './store/backfill-store.js';

/**
 * Why PostgreSQL refused a record, for the backfill report: the error's code, constraint or
 * column and its message. Never the error's detail: PostgreSQL puts the failing row's values
 * there, which may be medical content.
 */
interface PostgresError {
  code: string;
  message: string;
  constraint?: string;
  column?: string;
}

function findPostgresError(error: unknown): PostgresError | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const candidate = current as Partial<PostgresError> & { cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code) && typeof candidate.message === 'string') return candidate as PostgresError;
    current = candidate.cause;
  }
  return undefined;
}

/** The report entry of a record PostgreSQL refused; rethrows what is no refusal (the connection went away...). */
export function refusalOf(error: unknown, record: Pick<ReportedRecord, 'recordKind' | 'recordId'>): ReportedRecord {
  const refusal = findPostgresError(error);
  // classes 22 (data exception) and 23 (integrity constraint violation) are the record's fault
  if (!refusal || !/^2[23]/.test(refusal.code)) throw error;
  return {
    ...record,
    fields: [refusal.constraint ?? refusal.column ?? 'row'],
    reason: `PostgreSQL refused it (${refusal.code}): ${refusal.message}`,
  };
}

/**
 * A failure as it may be stored and printed: PostgreSQL's own message when it is one (drizzle's
 * wrapper repeats the statement's parameters, record contents included), else the message.
 */
export function describeFailure(error: unknown): string {
  const postgres = findPostgresError(error);
  if (postgres) return `PostgreSQL (${postgres.code}): ${postgres.message}`;
  return error instanceof Error ? error.message : String(error);
}

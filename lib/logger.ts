import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { Config } from './config.js';
import { activeRequestFields } from './tracing.js';

export type Logger = PinoLogger;

/** Structured JSON logs, one logger per service; a line written while a request is served carries its request id and trace. */
export function createLogger(config: Pick<Config, 'logLevel'>, service: string, destination?: DestinationStream): Logger {
  const options = {
    name: service,
    level: config.logLevel,
    base: { service },
    redact: { paths: ['req.headers.authorization', 'authorization', 'token', 'password'], censor: '[redacted]' },
    serializers: { err: loggableError },
    mixin: activeRequestFields,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Drizzle's errors repeat a failed statement's parameters (record contents) after "params:". */
const withoutParameters = (text: string) => text.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, '\nparams: [not logged]');

/**
 * An error as it may be logged: type, message, stack, code, constraint and cause, never the
 * parameters of a failed statement (drizzle puts them in its message and in `params`).
 */
export function loggableError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return {
    type: error.name,
    message: withoutParameters(error.message),
    ...(error.stack ? { stack: withoutParameters(error.stack) } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(constraint !== undefined ? { constraint } : {}),
    ...(error.cause !== undefined && depth < 3 ? { cause: loggableError(error.cause, depth + 1) } : {}),
  };
}

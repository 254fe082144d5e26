import { pino, type Logger as PinoLogger } from 'pino';
import type { Config } from './config.js';

export type Logger = PinoLogger;

/** Structured JSON logs, one logger per process, named after the service. */
export function createLogger(config: Pick<Config, 'logLevel'>, service: string): Logger {
  return pino({
    name: service,
    level: config.logLevel,
    base: { service },
    redact: { paths: ['req.headers.authorization', 'authorization', 'token', 'password'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

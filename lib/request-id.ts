import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** A caller's `x-request-id` when it is a sane token, else a fresh one: every log line of the request carries it. */
export function readRequestId(req: Pick<IncomingMessage, 'headers'>): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { VerifyToken, Viewer } from '../lib/auth.js';
import { unauthenticated } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { RateLimiter } from './rate-limiter.js';

export interface GatewayContext {
  viewer: Viewer;
  /** The caller's own header, forwarded unchanged so every subgraph verifies the token again. */
  authorization: string;
  requestId: string;
  logger: Logger;
  /** Names of the subgraphs this request fetched from (query analytics). */
  subgraphsTouched: Set<string>;
}

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** A caller's request id when it is a sane token, else a fresh one. */
export function readRequestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
}

/**
 * Per-request context: the JWT is verified here, so a missing or bad token stops the request
 * with HTTP 401 before any parsing or planning; then the caller's rate limit is charged.
 */
export function createContextBuilder(deps: { verify: VerifyToken; rateLimiter: RateLimiter; logger: Logger }) {
  return async (req: IncomingMessage): Promise<GatewayContext> => {
    const requestId = readRequestId(req);
    const authorization = req.headers.authorization ?? '';
    const viewer = await deps.verify(authorization);
    if (!viewer) throw unauthenticated();
    await deps.rateLimiter.charge(viewer.sub);
    return { viewer, authorization, requestId, logger: deps.logger.child({ requestId, sub: viewer.sub }), subgraphsTouched: new Set() };
  };
}

import type { IncomingMessage } from 'node:http';
import type { Viewer } from './auth.js';
import type { AddressGuard } from './address-guard.js';
import { declaredOperations } from './batch-operations.js';
import type { CachedVerifier } from './cached-verifier.js';
import { unauthenticated } from './errors.js';
import type { Admission } from './http-server.js';
import { can } from './policy.js';
import { rateLimited, type RateLimiter } from './rate-limiter.js';
import { readRequestId } from './request-id.js';

/** A request let in: who is calling, under which request id, and how large a body it may send. */
export interface AdmittedRequest extends Admission {
  viewer: Viewer;
  requestId: string;
}

export interface AdmissionDependencies {
  verify: CachedVerifier;
  /** Requests without valid credentials, per client address. */
  addressGuard: AddressGuard;
  /** Requests per identity (`sub`). */
  rateLimiter: RateLimiter;
  limits: { maxBodyBytes: number; maxDocumentBodyBytes: number; maxBatchOperations: number };
}

/**
 * The door of every service, before a body is read: an address that sent too many requests
 * without valid credentials is refused (429) unless it presents a token verified moments ago;
 * then the token is verified (401 without a valid one, counted against the address); then the
 * caller's rate limit is charged (429); callers who may ingest documents may send larger bodies.
 */
export function createAdmission(deps: AdmissionDependencies) {
  return async (req: IncomingMessage): Promise<AdmittedRequest> => {
    const requestId = readRequestId(req);
    const address = req.socket.remoteAddress ?? 'unknown';
    const authorization = req.headers.authorization;
    const blockedFor = deps.addressGuard.blockedFor(address);
    if (blockedFor !== undefined && !deps.verify.remembers(authorization)) throw rateLimited(blockedFor);
    let viewer: Viewer | undefined;
    try {
      viewer = await deps.verify(authorization);
    } catch (error) {
      deps.addressGuard.charge(address);
      throw error;
    }
    if (!viewer) {
      deps.addressGuard.charge(address);
      throw unauthenticated();
    }
    const operations = declaredOperations(req, deps.limits.maxBatchOperations);
    await deps.rateLimiter.charge(viewer.sub, operations);
    const maxBodyBytes = can(viewer, 'document.ingest') ? deps.limits.maxDocumentBodyBytes : deps.limits.maxBodyBytes;
    return { viewer, requestId, maxBodyBytes, operations };
  };
}

import type { Viewer } from '../lib/auth.js';
import type { Logger } from '../lib/logger.js';

/** Per-request context of the gateway, from what admission (lib/admission) let in. */
export interface GatewayContext {
  viewer: Viewer;
  /** The caller's own header, forwarded unchanged so every subgraph verifies the token again. */
  authorization: string;
  requestId: string;
  logger: Logger;
  /** Names of the subgraphs this request fetched from (query analytics). */
  subgraphsTouched: Set<string>;
  /** Answered from the subgraphs, never from the response cache nor into it: a subscriber's event or start check. */
  fresh?: boolean;
}

import { signDevToken } from './auth.js';
import type { Config } from './config.js';

/** A development token lives this long and is signed again once half of it has passed. */
const devTokenMinutes = 10;

/**
 * The bearer token a service sends when it calls another on its own behalf (not a caller's):
 * `given`, issued by the deployment's identity provider, when set; else a short-lived service-role
 * token signed with JWT_SECRET (development), renewed as it ages; undefined when there is neither.
 */
export function createServiceTokenSource(auth: Config['auth'], given: string | undefined, sub: string): (() => Promise<string>) | undefined {
  if (given) return () => Promise.resolve(given);
  if (!auth.jwtSecret) return undefined;
  let current: { token: Promise<string>; renewAt: number } | undefined;
  return () => {
    if (!current || Date.now() >= current.renewAt) {
      current = { token: signDevToken(auth, { sub, role: 'service' }, `${devTokenMinutes}m`), renewAt: Date.now() + (devTokenMinutes * 60_000) / 2 };
    }
    return current.token;
  };
}

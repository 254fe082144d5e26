import type { Viewer } from '../../../lib/auth.js';
import type { Actor } from '../store/index.js';

/** Who an audit row names: the verified caller. */
export function actorOf(viewer: Viewer): Actor {
  return { sub: viewer.sub, role: viewer.role };
}

import type { Redis } from 'ioredis';
import { conflict } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/logger.js';
import { withRedisLock } from '../../../lib/redis-lock.js';
import { refreshAnalyticsViews, type Database } from '../store/index.js';

/** Longer than any refresh should take; the lock frees itself if its holder dies. */
const lockTtlMs = 120_000;

export interface ViewRefresher {
  /** Refreshes now; CONFLICT when another process is refreshing. */
  refreshNow(): Promise<string[]>;
  /** Refreshes every `intervalMs` in whichever process takes the lock; returns the stop function. */
  schedule(intervalMs: number): () => void;
}

export function createViewRefresher(db: Database, redis: Redis, lockKey: string, logger: Logger): ViewRefresher {
  const refresh = () => withRedisLock(redis, lockKey, lockTtlMs, () => refreshAnalyticsViews(db));
  return {
    refreshNow: async () => {
      const outcome = await refresh();
      if (!outcome.acquired) throw conflict('The analytics views are being refreshed by another process; try again shortly');
      return outcome.result;
    },
    schedule: (intervalMs) => {
      const timer = setInterval(() => {
        refresh()
          .then((outcome) => logger.debug({ refreshed: outcome.acquired }, 'scheduled analytics refresh'))
          .catch((error: unknown) => logger.error({ err: error }, 'scheduled analytics refresh failed'));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

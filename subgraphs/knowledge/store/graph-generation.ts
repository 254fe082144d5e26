import neo4j, { type Driver, type Session } from 'neo4j-driver';
import type { Redis } from 'ioredis';
import { withOverrides } from '../../../lib/with-overrides.js';

/**
 * One number in Redis that rises with every write to the knowledge graph, shared by every
 * knowledge process over the same Neo4j and Redis: a read remembered under an older number is
 * stale (graph-memo.ts).
 */
const generationKey = 'knowledge:graph:generation';

/** Makes every remembered graph read stale: call it after writing to the graph. */
export async function markGraphChanged(redis: Redis): Promise<void> {
  await redis.incr(generationKey);
}

export async function readGraphGeneration(redis: Redis): Promise<number> {
  return Number((await redis.get(generationKey)) ?? 0);
}

/**
 * The driver with every write announced by `changed` once it is over, committed or not (a
 * failed commit may still have happened): write transactions, write-mode sessions (at close)
 * and `executeQuery` unless routed to readers. Reads are left as they are. So no writer of this
 * process can forget to make the remembered reads stale.
 */
export function announceGraphWrites(driver: Driver, changed: () => Promise<void>): Driver {
  const afterwards = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } finally {
      await changed();
    }
  };
  const announceSession = (session: Session): Session => {
    let ranStatements = false;
    return withOverrides(session, {
      executeWrite: (...args: Parameters<Session['executeWrite']>) => afterwards(session.executeWrite(...args)),
      run: (...args: Parameters<Session['run']>) => {
        ranStatements = true;
        return session.run(...args);
      },
      // an auto-commit statement of a write session has run once the session closes
      close: () => (ranStatements ? afterwards(session.close()) : session.close()),
    });
  };
  return withOverrides(driver, {
    session: (config?: Parameters<Driver['session']>[0]) => {
      const session = driver.session(config);
      return config?.defaultAccessMode === neo4j.session.READ ? session : announceSession(session);
    },
    executeQuery: (...args: Parameters<Driver['executeQuery']>) => {
      const query = driver.executeQuery(...args);
      return args[2]?.routing === neo4j.routing.READ ? query : afterwards(query);
    },
  });
}

import type { MigrationWorld } from './world.js';

interface Backlogs {
  migrationStatus: { domain: string; changesToPostgres: { pending: number } | null; changesToLegacy: { pending: number } }[];
}

/** Waits until no change waits in either direction for any domain (the relay caught up); throws after `timeoutMs`. */
export async function waitForRelay(world: MigrationWorld, timeoutMs = 60_000): Promise<void> {
  const admin = await world.token('admin');
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const result = await world.gql<Backlogs>(`{ migrationStatus { domain changesToPostgres { pending } changesToLegacy { pending } } }`, {}, admin);
    const statuses = result.data?.migrationStatus ?? [];
    last = JSON.stringify(result.errors ?? statuses);
    if (statuses.length > 0 && statuses.every((status) => status.changesToPostgres?.pending === 0 && status.changesToLegacy.pending === 0)) {
      if (process.env.TEST_TIMINGS) console.log(`[relay] caught up after ${Date.now() - deadline + timeoutMs} ms`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the relay did not catch up within ${timeoutMs} ms: ${last}`);
}

import { setTimeout as sleep } from 'node:timers/promises';

/** The services' consumer groups with events not processed yet, from their /metrics (`<service>_event_consumer_lag` lines above 0). */
async function pendingEvents(graphqlUrls: readonly string[]): Promise<string[]> {
  const pending: string[] = [];
  for (const url of graphqlUrls) {
    const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
    pending.push(...text.split('\n').filter((line) => /^\w+_event_consumer_lag\{/.test(line) && Number(line.split(' ').at(-1)) > 0));
  }
  return pending;
}

/**
 * Waits until the subgraphs' event consumers have caught up (read twice, 1 s apart), so the
 * work one run's writes leave behind (posted messages' passages, feedback, analytics) is not
 * measured in the next. Returns the seconds waited; throws past `timeoutMs`.
 */
export async function waitForConsumers(graphqlUrls: readonly string[], timeoutMs = 180_000): Promise<number> {
  const started = performance.now();
  let idleReadings = 0;
  while (idleReadings < 2) {
    if (performance.now() - started > timeoutMs) throw new Error(`the subgraphs' consumers had not caught up after ${timeoutMs / 1000} s: ${(await pendingEvents(graphqlUrls)).join(', ')}`);
    idleReadings = (await pendingEvents(graphqlUrls)).length === 0 ? idleReadings + 1 : 0;
    if (idleReadings < 2) await sleep(1000);
  }
  return (performance.now() - started) / 1000;
}

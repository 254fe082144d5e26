import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy.js';
import { startHarness, type OperationsHarness } from './support.js';

describe('operations: PostgreSQL going away and coming back', () => {
  let proxy: DelayProxy;
  let h: OperationsHarness;

  beforeAll(async () => {
    const url = new URL(loadConfig().postgres.url);
    proxy = await startDelayProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(proxy.port);
    h = await startHarness({ DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    proxy.setDown(false);
    await h?.stop();
    await proxy?.close();
  });

  it('answers with errors while it is down, recovers fully when it is back, and stops promptly', async () => {
    const token = await h.token('clinician');
    const start = `mutation { startSession(input: { patientId: "pt-${h.run}-outage" }) { id } }`;
    const writes = (count: number) => Promise.all(Array.from({ length: count }, () => h.gql<{ startSession: { id: string } }>(start, {}, token)));
    expect((await writes(10)).every((result) => result.data?.startSession.id)).toBe(true);

    proxy.setDown(true);
    const during = await writes(30);
    expect(during.every((result) => result.errors !== undefined)).toBe(true);
    proxy.setDown(false);

    // more writes than the pool has connections: none may have been lost to the outage
    const after = await writes(30);
    expect(after.map((result) => result.errors ?? 'ok')).toEqual(Array.from({ length: 30 }, () => 'ok'));
    // every connection the outage broke went back to the pool (drizzle's transactions leaked them);
    // background work (relays, polls) holds one briefly, a leaked one stays taken
    const inUse = () => h.pool.totalCount - h.pool.idleCount;
    const settleBy = Date.now() + 3000;
    while (inUse() > 0 && Date.now() < settleBy) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(inUse()).toBe(0);
    const started = Date.now();
    await h.service.stop();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

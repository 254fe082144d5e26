import { describe, expect, it } from 'vitest';
import { signDevToken } from '../../lib/auth.js';
import { loadConfig } from '../../lib/config.js';
import { startOperations } from '../../subgraphs/operations/server.js';
import { startDelayProxy } from '../support/delay-proxy.js';

/** A service at its in-flight limit sheds more requests (503 + Retry-After) and says so on /readyz, until it has room again. */
describe('saturation', () => {
  it('sheds requests past the in-flight limit and reports not ready while saturated', async () => {
    const base = loadConfig({ ...process.env, LOG_LEVEL: 'fatal' });
    const store = new URL(base.postgres.url);
    const slow = await startDelayProxy({ host: store.hostname, port: Number(store.port) });
    const config = loadConfig({ ...process.env, LOG_LEVEL: 'fatal', MAX_IN_FLIGHT_REQUESTS: '2', DATABASE_URL: base.postgres.url.replace(/@[^/]+\//, `@${slow.address}/`) });
    const service = await startOperations(config, 0);
    const token = await signDevToken(config.auth, { sub: 'saturation', role: 'clinician' });
    const ask = () => fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ documents(first: 1) { totalCount } }' }) });
    const readyz = service.url.replace('/graphql', '/readyz');
    try {
      await Promise.all([ask(), ask()]);
      slow.setDelay(800);
      const held = [ask(), ask()];
      await new Promise((resolve) => setTimeout(resolve, 200));
      const shed = await ask();
      expect([shed.status, shed.headers.get('retry-after')]).toEqual([503, '1']);
      const saturated = await fetch(readyz);
      expect(saturated.status).toBe(503);
      expect(await saturated.json()).toMatchObject({ status: 'not ready', saturated: true, inFlight: 2 });
      expect((await Promise.all(held)).map((response) => response.status)).toEqual([200, 200]);
      slow.setDelay(0);
      expect((await fetch(readyz)).status).toBe(200);
    } finally {
      await service.stop();
      await slow.close();
    }
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceHandle } from '../../lib/http-server.js';
import { launchChromium, openPlayground, runOperation, setHeaders, shownResponse } from '../support/playground-page.js';
import { startFixtureWorld, type FixtureWorld } from './support.js';

describe('playground in headless Chromium', () => {
  let world: FixtureWorld;
  let gateway: ServiceHandle;
  let browser: Browser;
  const playgroundUrl = () => gateway.url.replace(/\/graphql$/, '/playground');

  beforeAll(async () => {
    world = await startFixtureWorld(['sessions', 'patients']);
    gateway = await world.startGateway({ settings: { responseCache: false } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await world?.stop();
  });

  it('serves a page with no script or style from outside', async () => {
    const html = await (await fetch(playgroundUrl())).text();
    expect(html).toContain('<title>SynapseFlow playground</title>');
    expect(html.match(/<(script|link|img)\b[^>]*\b(src|href)=["']?https?:/gi)).toBeNull();
    expect(html.match(/@import\s+(url\()?["']?https?:/gi)).toBeNull();
  });

  it('runs a query with a pasted bearer token and shows the result, loading nothing from outside', async () => {
    const requested: string[] = [];
    const page = await openPlayground(browser, gateway.url, (url) => requested.push(url));
    expect(await page.locator('.graphiql-tab-button').allTextContents()).toEqual(['LayerStats', 'SearchEntities', 'SemanticSearch', 'FeedbackTrends', 'LiveMessages']);

    await setHeaders(page, { Authorization: `Bearer ${world.tokens.patientA}` });
    await runOperation(page, `query Mine { session(id: "${world.id}s1") { title patient { allergies { substance } } } }`, 'Mine');
    await expect.poll(() => shownResponse(page), { timeout: 15_000 }).toContain('"data"');
    expect(JSON.parse(await shownResponse(page))).toEqual({ data: { session: { title: 'Asthma follow-up', patient: { allergies: [{ substance: 'penicillin' }] } } } });
    const outside = requested.filter((url) => !url.startsWith(gateway.url.replace(/\/graphql$/, '')) && !url.startsWith('blob:') && !url.startsWith('data:'));
    expect(outside).toEqual([]);
    await page.close();
  });
});

import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceHandle } from '../../lib/http-server.js';
import { startFixtureWorld, type FixtureWorld } from './support.js';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('playground in headless Chromium', () => {
  let world: FixtureWorld;
  let gateway: ServiceHandle;
  let browser: Browser;
  const playgroundUrl = () => gateway.url.replace(/\/graphql$/, '/playground');

  beforeAll(async () => {
    world = await startFixtureWorld(['sessions', 'patients']);
    gateway = await world.startGateway({ settings: { responseCache: false } });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
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
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(playgroundUrl());
    await page.waitForSelector('.graphiql-query-editor .monaco-editor', { timeout: 30_000 });
    expect(await page.locator('.graphiql-tab-button').allTextContents()).toEqual(['LayerStats', 'SearchEntities', 'SemanticSearch', 'FeedbackTrends']);

    await page.getByRole('button', { name: 'Headers' }).click();
    await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${world.tokens.patientA}` }));

    await page.locator('.graphiql-query-editor .monaco-editor').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(`query Mine { session(id: "${world.id}s1") { title patient { allergies { substance } } } }`);
    // GraphiQL parses the edited document before it knows the operation to run.
    await expect.poll(async () => await page.locator('.graphiql-tab-active .graphiql-tab-button').textContent(), { timeout: 10_000 }).toBe('Mine');
    await page.locator('.graphiql-execute-button').click();

    // The result pane is a Monaco editor: it shows spaces as no-break spaces.
    const shown = async () => ((await page.locator('.graphiql-response').textContent()) ?? '').replace(/\u00a0/g, ' ');
    await expect.poll(shown, { timeout: 15_000 }).toContain('"data"');
    expect(JSON.parse(await shown())).toEqual({ data: { session: { title: 'Asthma follow-up', patient: { allergies: [{ substance: 'penicillin' }] } } } });
    const outside = requested.filter((url) => !url.startsWith(gateway.url.replace(/\/graphql$/, '')) && !url.startsWith('blob:') && !url.startsWith('data:'));
    expect(outside).toEqual([]);
    await page.close();
  });
});

import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from './chromium.js';

/** Headless Debian Chromium as this machine allows it: no sandbox (root), nothing that reaches outside. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * The gateway's playground (GraphiQL) driven as an analyst does: open it, paste the headers, type
 * an operation, run it, read the response pane.
 */
export async function openPlayground(browser: Browser, gatewayUrl: string, onRequest?: (url: string) => void): Promise<Page> {
  const page = await browser.newPage();
  if (onRequest) page.on('request', (request) => onRequest(request.url()));
  await page.goto(gatewayUrl.replace(/\/graphql$/, '/playground'));
  await page.waitForSelector('.graphiql-query-editor .monaco-editor', { timeout: 30_000 });
  return page;
}

async function replaceText(page: Page, editor: string, text: string): Promise<void> {
  await page.locator(editor).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

export async function setHeaders(page: Page, headers: Record<string, string>): Promise<void> {
  await page.getByRole('button', { name: 'Headers' }).click();
  await replaceText(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor', JSON.stringify(headers));
}

/** Types the operation named `name` into the editor and runs it. */
export async function runOperation(page: Page, operation: string, name: string): Promise<void> {
  await replaceText(page, '.graphiql-query-editor .monaco-editor', operation);
  // GraphiQL parses the edited document before it knows the operation to run
  for (const deadline = Date.now() + 10_000; (await page.locator('.graphiql-tab-active .graphiql-tab-button').textContent()) !== name; ) {
    if (Date.now() > deadline) throw new Error(`the playground never showed operation ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await page.locator('.graphiql-execute-button').click();
}

/** The response pane's text (a Monaco editor shows spaces as no-break spaces). */
export async function shownResponse(page: Page): Promise<string> {
  return ((await page.locator('.graphiql-response').textContent()) ?? '').replace(/\u00a0/g, ' ');
}

import { existsSync } from 'node:fs';
import { aptInstall, canInstallWithApt } from '../../stack/system-packages.js';

/** Debian's Chromium, which the playground's browser test drives with playwright-core. */
export const chromiumPath = '/usr/bin/chromium';

/** Installs Debian's chromium when it is missing (root with apt), or fails saying how to get it. */
export async function ensureChromium(): Promise<void> {
  if (existsSync(chromiumPath)) return;
  if (!(await canInstallWithApt())) throw new Error(`${chromiumPath} is missing: install it with \`apt-get install chromium\` (Debian)`);
  await aptInstall(['chromium'], 'the playground browser test needs Chromium');
  if (!existsSync(chromiumPath)) throw new Error(`chromium was installed but ${chromiumPath} does not exist`);
}

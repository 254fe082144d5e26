import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { onPath, run } from './processes.js';
import { StackError } from './store.js';

const policyFile = '/usr/sbin/policy-rc.d';
const aptEnv = { DEBIAN_FRONTEND: 'noninteractive' };
let aptUpdated = false;
// dpkg takes one install at a time, while stores prepare in parallel.
let aptQueue: Promise<void> = Promise.resolve();

export async function canInstallWithApt(): Promise<boolean> {
  return process.getuid?.() === 0 && (await onPath('apt-get'));
}

/**
 * Installs Debian packages without letting their maintainer scripts start system-wide
 * services (a packaged PostgreSQL or Redis would take the ports the stack uses).
 */
export function aptInstall(packages: readonly string[], reason: string): Promise<void> {
  const next = aptQueue.then(() => installNow(packages, reason));
  aptQueue = next.catch(() => undefined);
  return next;
}

async function installNow(packages: readonly string[], reason: string): Promise<void> {
  console.log(`[stack] ${reason}: installing ${packages.join(', ')} from Debian's packages (apt-get)...`);
  const ownPolicy = !existsSync(policyFile);
  if (ownPolicy) writeFileSync(policyFile, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    if (!aptUpdated) {
      const update = await run('apt-get', ['update', '-qq'], { env: aptEnv });
      if (!update.ok) throw new StackError(`apt-get update failed:\n${update.stderr.trim()}`);
      aptUpdated = true;
    }
    const install = await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env: aptEnv });
    if (!install.ok) throw new StackError(`apt-get install ${packages.join(' ')} failed:\n${install.stderr.trim()}`);
  } finally {
    if (ownPolicy) rmSync(policyFile, { force: true });
  }
}

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../lib/config.js';
import { storeDir } from './paths.js';
import { StackError, type LaunchPlan, type Store } from './store.js';

const execFileAsync = promisify(execFile);

/** The stand-in: Qdrant's engine (PyPI `qdrant-edge-py`) behind Qdrant's REST API, see stack/qdrant/server.py. */
const serverDir = join(import.meta.dirname, 'qdrant');
const requirementsFile = join(serverDir, 'requirements.txt');
const pythonCandidates = ['python3', 'python3.13', 'python3.12', 'python3.11', 'python3.10'];

export function createQdrantStore(config: Config): Store {
  const { url, apiKey, port } = config.qdrant;
  return {
    name: 'qdrant',
    displayUrl: url,
    external: config.qdrant.external,
    optional: false,
    isReady: () => isReady(url, apiKey),
    async prepare(): Promise<LaunchPlan> {
      const dir = storeDir(config, 'qdrant');
      const python = await ensureVenv(join(dir, 'venv'));
      return {
        command: python,
        // -B: no __pycache__ inside the source tree
        args: ['-u', '-B', join(serverDir, 'server.py'), '--host', '127.0.0.1', '--port', String(port), '--storage', join(dir, 'storage')],
        env: apiKey === undefined ? {} : { QDRANT__SERVICE__API_KEY: apiKey },
        cwd: dir,
      };
    },
  };
}

async function isReady(url: string, apiKey: string | undefined): Promise<boolean> {
  try {
    const response = await fetch(new URL('/readyz', url), {
      headers: apiKey === undefined ? {} : { 'api-key': apiKey },
      signal: AbortSignal.timeout(1500),
    });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Creates the virtualenv and installs the pinned requirements, unless a stamp says that is already done. */
async function ensureVenv(venv: string): Promise<string> {
  const venvPython = join(venv, 'bin', 'python');
  const stampFile = join(venv, '.requirements.sha256');
  const basePython = await findPython();
  const stamp = createHash('sha256').update(readFileSync(requirementsFile)).update(basePython.version).digest('hex');
  if (existsSync(venvPython) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return venvPython;

  rmSync(venv, { recursive: true, force: true });
  await runOrThrow(basePython.command, ['-m', 'venv', venv], 'creating the Qdrant stand-in virtualenv failed (on Debian: apt-get install python3-venv)');
  await runOrThrow(
    venvPython,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '-r', requirementsFile],
    `pip could not install ${requirementsFile} (needs PyPI or a mirror reachable by pip)`,
  );
  writeFileSync(stampFile, stamp);
  return venvPython;
}

/** The first Python >= 3.10 on PATH (qdrant-edge-py ships abi3 wheels for CPython >= 3.10). */
async function findPython(): Promise<{ command: string; version: string }> {
  for (const command of pythonCandidates) {
    try {
      const { stdout } = await execFileAsync(command, ['-c', 'import sys, venv; print("%d.%d.%d" % sys.version_info[:3])']);
      const version = stdout.trim();
      const [major = 0, minor = 0] = version.split('.').map(Number);
      if (major === 3 && minor >= 10) return { command, version };
    } catch {
      // not installed, or without the venv module: try the next one
    }
  }
  throw new StackError('The Qdrant stand-in needs Python >= 3.10 with venv: install python3 and python3-venv (apt-get install python3 python3-venv).');
}

async function runOrThrow(command: string, args: readonly string[], failure: string): Promise<void> {
  try {
    await execFileAsync(command, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    const detail = (stderr ?? message).trim().split('\n').slice(-8).join('\n');
    throw new StackError(`${failure}:\n${detail}`);
  }
}

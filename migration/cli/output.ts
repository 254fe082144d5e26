import type { BackfillProgress } from '../backfill/run-backfill.js';

/**
 * What the command prints: with `--json` one JSON document on stdout at the end (and nothing
 * else there); otherwise lines for people, and on a terminal a progress bar that redraws.
 */
export interface Output {
  json: boolean;
  line(text: string): void;
  progress(progress: BackfillProgress): void;
  /** The command's result: the JSON document, or nothing more in human mode. */
  result(value: unknown): void;
}

const formatter = new Intl.NumberFormat('en');

export function progressLine(progress: BackfillProgress): string {
  const perSecond = progress.elapsedMs > 0 ? (progress.read / progress.elapsedMs) * 1000 : 0;
  const share = progress.total > 0 ? Math.min(1, progress.read / progress.total) : 1;
  const etaSeconds = perSecond > 0 ? Math.max(0, (progress.total - progress.read) / perSecond) : 0;
  const bar = '#'.repeat(Math.round(share * 24)).padEnd(24, '.');
  return `${progress.domain} [${bar}] ${(share * 100).toFixed(0).padStart(3)}% ${formatter.format(progress.read)}/${formatter.format(progress.total)} read, ${formatter.format(progress.moved)} moved, ${formatter.format(progress.reported)} reported, ${formatter.format(Math.round(perSecond))} records/s, ETA ${Math.ceil(etaSeconds)} s`;
}

export function createOutput(json: boolean, streams: { out: NodeJS.WriteStream; err: NodeJS.WriteStream } = { out: process.stdout, err: process.stderr }): Output {
  const terminal = Boolean(streams.err.isTTY) && !json;
  let lastPlain = 0;
  let redrawn = false;
  return {
    json,
    line: (text) => {
      if (redrawn) streams.err.write('\n');
      redrawn = false;
      (json ? streams.err : streams.out).write(`${text}\n`);
    },
    progress: (progress) => {
      if (terminal) {
        streams.err.write(`\r${progressLine(progress)}\u001b[K`);
        redrawn = true;
      } else if (Date.now() - lastPlain > 2000) {
        // plain lines (a log, CI): one every two seconds at most
        lastPlain = Date.now();
        streams.err.write(`${progressLine(progress)}\n`);
      }
    },
    result: (value) => {
      if (redrawn) streams.err.write('\n');
      redrawn = false;
      if (json) streams.out.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

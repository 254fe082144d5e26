/**
 * Runs `stop` once on the first SIGINT or SIGTERM, then exits: 0 when it stopped cleanly,
 * 1 when stopping failed or did not finish within `deadlineMs` (a drain that hangs must not
 * keep the process alive: orchestrators would kill it without the pools closed). Entry points
 * own the signals: Apollo's own handlers are off everywhere.
 */
export function stopOnSignals(
  stop: (signal: NodeJS.Signals) => Promise<void>,
  options: { log?: (message: string) => void; deadlineMs: number },
): void {
  const log = options.log ?? console.log;
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: draining and stopping`);
    const deadline = setTimeout(() => {
      log(`stopping took longer than ${options.deadlineMs} ms: exiting anyway`);
      process.exit(1);
    }, options.deadlineMs);
    deadline.unref();
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}

/** How long an entry point waits for `stop` after a signal: the drain's grace period plus time to close pools. */
export const stopDeadlineMs = (graceMs: number): number => graceMs + 5000;

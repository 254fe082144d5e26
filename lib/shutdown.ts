/**
 * Runs `stop` once on the first SIGINT or SIGTERM, then exits: 0 when it stopped cleanly,
 * 1 when stopping failed. Entry points own the signals (Apollo's own handlers are off).
 */
export function stopOnSignals(stop: (signal: NodeJS.Signals) => Promise<void>, log: (message: string) => void = console.log): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: draining and stopping`);
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

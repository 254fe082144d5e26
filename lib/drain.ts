/**
 * Counts the requests a server is handling, so that stopping can wait for them: `enter()` when
 * one starts (call what it returns when it ends), `drain(ms)` resolves once none is left or the
 * grace period is over, whichever comes first.
 */
export function createDrainGate() {
  let inFlight = 0;
  let draining = false;
  let onIdle: (() => void) | undefined;
  return {
    get draining(): boolean {
      return draining;
    },
    enter(): () => void {
      inFlight += 1;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        inFlight -= 1;
        if (inFlight === 0) onIdle?.();
      };
    },
    drain(graceMs: number): Promise<void> {
      draining = true;
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
  };
}

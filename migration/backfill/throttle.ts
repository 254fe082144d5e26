/**
 * Keeps a backfill from starving live traffic: after each batch it is told how long each store
 * took, and when a store is slower than its best time of the run by more than `tolerance`
 * (live traffic, or the store struggling), it asks for a pause as long as that slowdown, so the
 * backfill's share of each store stays bounded.
 */
export class LatencyThrottle {
  private readonly best = new Map<string, number>();
  pausedMs = 0;

  constructor(private readonly options: { tolerance: number; maxPauseMs: number } = { tolerance: 2, maxPauseMs: 5000 }) {}

  /** The pause to make before the next batch, given this batch's time per store. */
  pauseAfter(latencies: Record<string, number>): number {
    let pause = 0;
    for (const [store, ms] of Object.entries(latencies)) {
      const best = Math.min(this.best.get(store) ?? ms, ms);
      this.best.set(store, best);
      if (ms > best * this.options.tolerance) pause = Math.max(pause, ms - best);
    }
    const bounded = Math.min(pause, this.options.maxPauseMs);
    this.pausedMs += bounded;
    return bounded;
  }
}

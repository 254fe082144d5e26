/**
 * Keeps a backfill from starving live traffic: after each batch it is told how long each store
 * took, and when a store is slower than its usual time (the median of the last batches) by
 * more than `tolerance` times (live traffic, or the store struggling), it asks for a pause as
 * long as that slowdown, so the backfill's share of each store stays bounded.
 */
export class LatencyThrottle {
  private readonly recent = new Map<string, number[]>();
  pausedMs = 0;

  constructor(private readonly options: { tolerance: number; maxPauseMs: number; window: number } = { tolerance: 2, maxPauseMs: 5000, window: 20 }) {}

  /** The pause to make before the next batch, given this batch's time per store. */
  pauseAfter(latencies: Record<string, number>): number {
    let pause = 0;
    for (const [store, ms] of Object.entries(latencies)) {
      const times = this.recent.get(store) ?? [];
      if (times.length > 0) {
        const usual = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
        if (ms > usual * this.options.tolerance) pause = Math.max(pause, ms - usual);
      }
      this.recent.set(store, [...times, ms].slice(-this.options.window));
    }
    const bounded = Math.min(pause, this.options.maxPauseMs);
    this.pausedMs += bounded;
    return bounded;
  }
}

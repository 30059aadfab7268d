package io.mapaudit.agent.detect;

/**
 * A per-thread token bucket of pause time: tokens accrue at {@code share} nanoseconds per
 * wall-clock nanosecond, up to a small burst, so that watchpoints never take more than
 * {@code share} of any thread's time (DESIGN §4.2, option {@code watchBudget}). Owned by one
 * thread; not thread-safe.
 */
final class WatchBudget {
  private final double share;
  private final long burst;
  private double tokens;
  private long last;

  WatchBudget(double share, long burstNanos, long nowNanos) {
    this.share = share;
    this.burst = burstNanos;
    this.tokens = burstNanos;
    this.last = nowNanos;
  }

  /** Takes {@code cost} nanoseconds of pause if the budget has them. */
  boolean tryTake(long nowNanos, long cost) {
    tokens = Math.min(burst, tokens + (nowNanos - last) * share);
    last = nowNanos;
    if (tokens < cost) {
      return false;
    }
    tokens -= cost;
    return true;
  }

  /** Settles a pause that took {@code actual} instead of the {@code reserved} nanoseconds. */
  void settle(long reserved, long actual) {
    tokens += reserved - actual;
  }
}

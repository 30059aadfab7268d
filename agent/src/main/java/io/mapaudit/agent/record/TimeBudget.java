package io.mapaudit.agent.record;

/**
 * A per-thread token bucket of time: tokens accrue at {@code share} nanoseconds per wall-clock
 * nanosecond up to {@code burst}, so that what it pays for (stack walks, watchpoint pauses) takes
 * at most {@code share} of a thread's time. It may start fuller than the burst (a one-time
 * allowance); refills never raise it past the burst. Owned by one thread; not thread-safe.
 */
public final class TimeBudget {
  private final double share;
  private final long burst;
  private double tokens;
  private long last;

  /** A bucket holding {@code initialNanos} at {@code nowNanos}. */
  public TimeBudget(double share, long burstNanos, long initialNanos, long nowNanos) {
    this.share = share;
    this.burst = burstNanos;
    this.tokens = initialNanos;
    this.last = nowNanos;
  }

  /**
   * Takes {@code cost} nanoseconds if the bucket has them (and is not empty: a cost of 0 asks
   * whether any time is left, to be paid afterwards with {@link #settle}).
   */
  public boolean tryTake(long nowNanos, long cost) {
    double refilled = tokens + (nowNanos - last) * share;
    tokens = refilled > burst ? Math.max(tokens, burst) : refilled;
    last = nowNanos;
    if (tokens <= 0 || tokens < cost) {
      return false;
    }
    tokens -= cost;
    return true;
  }

  /** Settles work that took {@code actual} instead of the {@code reserved} nanoseconds. */
  public void settle(long reserved, long actual) {
    tokens += reserved - actual;
  }
}

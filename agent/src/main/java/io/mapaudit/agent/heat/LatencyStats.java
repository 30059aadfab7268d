package io.mapaudit.agent.heat;

/**
 * Latency of one operation name's sampled calls, in nanoseconds. Immutable.
 *
 * <p>Percentiles carry the recording histogram's precision (1 significant digit: a reported value
 * is the top of a bucket at most ~6% wide, never above {@link #max()}); {@link #max()} is exact
 * up to the clamp of {@link LatencyHistograms#HIGHEST_NANOS}.
 */
public final class LatencyStats {
  private final long count;
  private final long p50;
  private final long p90;
  private final long p99;
  private final long max;

  LatencyStats(long count, long p50, long p90, long p99, long max) {
    this.count = count;
    this.p50 = p50;
    this.p90 = p90;
    this.p99 = p99;
    this.max = max;
  }

  /** The number of sampled calls recorded. */
  public long count() {
    return count;
  }

  /** Median latency, ns. */
  public long p50() {
    return p50;
  }

  /** 90th percentile latency, ns. */
  public long p90() {
    return p90;
  }

  /** 99th percentile latency, ns. */
  public long p99() {
    return p99;
  }

  /** Largest recorded latency, ns (after clamping). */
  public long max() {
    return max;
  }

  @Override
  public String toString() {
    return "LatencyStats{count=" + count + ", p50=" + p50 + ", p90=" + p90 + ", p99=" + p99
        + ", max=" + max + '}';
  }
}

package io.mapaudit.agent.heat;

/**
 * How concentrated a key stream is: shares of the hottest keys and access-weighted percentiles of
 * per-key hits. Immutable; produced by {@link HeatHistogram}.
 *
 * <p>All shares are fractions of {@link #total()} in {@code [0, 1]}. {@code pNN} answers "NN% of
 * the tracked accesses go to keys with at most {@code pNN} hits". When
 * {@link #untrackedShare()} is above zero, the percentiles describe the tracked part of the stream
 * only: the untracked remainder is reported as such, never spread over invented keys.
 */
public final class HeatStats {
  /** The stats of an empty stream: every field zero. */
  public static final HeatStats EMPTY = new HeatStats(0, 0, 0, 0, 0, 0, 0, 0, 0);

  private final long total;
  private final int trackedKeys;
  private final double top1Share;
  private final double top10Share;
  private final double top100Share;
  private final long p50;
  private final long p90;
  private final long p99;
  private final double untrackedShare;

  HeatStats(long total, int trackedKeys, double top1Share, double top10Share, double top100Share,
      long p50, long p90, long p99, double untrackedShare) {
    this.total = total;
    this.trackedKeys = trackedKeys;
    this.top1Share = top1Share;
    this.top10Share = top10Share;
    this.top100Share = top100Share;
    this.p50 = p50;
    this.p90 = p90;
    this.p99 = p99;
    this.untrackedShare = untrackedShare;
  }

  /** The number of accesses in the stream, tracked or not. */
  public long total() {
    return total;
  }

  /** The number of keys the summary could attribute accesses to. */
  public int trackedKeys() {
    return trackedKeys;
  }

  /** The share of all accesses that went to the hottest key. */
  public double top1Share() {
    return top1Share;
  }

  /** The share of all accesses that went to the 10 hottest keys. */
  public double top10Share() {
    return top10Share;
  }

  /** The share of all accesses that went to the 100 hottest keys. */
  public double top100Share() {
    return top100Share;
  }

  /** Half of the tracked accesses go to keys with at most this many hits. */
  public long p50() {
    return p50;
  }

  /** 90% of the tracked accesses go to keys with at most this many hits. */
  public long p90() {
    return p90;
  }

  /** 99% of the tracked accesses go to keys with at most this many hits. */
  public long p99() {
    return p99;
  }

  /** The share of accesses the summary cannot attribute to any tracked key. */
  public double untrackedShare() {
    return untrackedShare;
  }

  /**
   * These stats with counts ({@link #total()} and the percentiles) multiplied by
   * {@code samplingInterval} (saturating), to estimate the unsampled stream; shares are unchanged.
   */
  public HeatStats scaled(long samplingInterval) {
    if (samplingInterval == 1 || this == EMPTY) {
      return this;
    }
    return new HeatStats(scale(total, samplingInterval), trackedKeys, top1Share, top10Share,
        top100Share, scale(p50, samplingInterval), scale(p90, samplingInterval),
        scale(p99, samplingInterval), untrackedShare);
  }

  /** {@code value * factor}, saturating at {@link Long#MAX_VALUE}; both non-negative. */
  static long scale(long value, long factor) {
    if (factor <= 1 || value == 0) {
      return value;
    }
    return value > Long.MAX_VALUE / factor ? Long.MAX_VALUE : value * factor;
  }

  @Override
  public String toString() {
    return "HeatStats{total=" + total + ", trackedKeys=" + trackedKeys + ", top1Share=" + top1Share
        + ", top10Share=" + top10Share + ", top100Share=" + top100Share + ", p50=" + p50
        + ", p90=" + p90 + ", p99=" + p99 + ", untrackedShare=" + untrackedShare + '}';
  }
}

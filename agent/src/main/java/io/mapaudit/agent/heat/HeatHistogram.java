package io.mapaudit.agent.heat;

import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * Turns per-key hit counts into {@link HeatStats}: top-N shares and access-weighted percentiles of
 * per-key hits ("q of all accesses go to keys with at most X hits").
 *
 * <p>One instance is meant to serve every map on the drainer thread: it owns one reusable
 * HdrHistogram (2 significant digits, auto-resizing, values clamped to {@link #MAX_HITS}) and a
 * scratch array, and {@link #compute} resets and refills them, allocating only the returned
 * {@code HeatStats} (and growing the scratch array to the largest input seen). Not thread-safe;
 * {@link #forCurrentThread()} hands each thread its own.
 */
public final class HeatHistogram {
  /*
   * Design notes.
   *
   * Every key is recorded as value = hits with count = hits, so the histogram's total count is the
   * number of tracked accesses and getValueAtPercentile(q) is the per-key hit count below which q
   * of the accesses fall. Values below 256 are exact at 2 significant digits; above, a percentile
   * is the highest value of its bucket (< 1% high).
   *
   * Space-Saving counters always sum to the stream total (an evicted counter's mass stays with its
   * successor as "error"), so "total - sum(counts)" would always claim nothing is untracked, and
   * the tail mass would be smeared over tail counters as invented hits. compute(HotKeySketch)
   * therefore uses each counter's guaranteed count (count - error): untrackedShare is then the
   * mass the summary cannot attribute to a key (an upper bound of the true untracked mass) and the
   * top-N shares are lower bounds. When the sketch saw at most m distinct keys, errors are 0 and
   * both views agree. The HOT_KEY check in MapHeat uses the same lower bound.
   */

  /** Per-key hit counts above this are recorded as this (HdrHistogram throws out of range). */
  public static final long MAX_HITS = 1L << 53;

  private static final ThreadLocal<HeatHistogram> PER_THREAD =
      ThreadLocal.withInitial(HeatHistogram::new);

  private final Histogram histogram = new Histogram(2);
  private long[] scratch = new long[16];

  /** Creates an instance with its own histogram; prefer {@link #forCurrentThread()}. */
  public HeatHistogram() {}

  /** The calling thread's instance (the drainer's, in the agent). */
  public static HeatHistogram forCurrentThread() {
    return PER_THREAD.get();
  }

  /**
   * The heat of a Space-Saving summary, using guaranteed counts ({@code count - error}) as the
   * tracked hits and {@link HotKeySketch#total()} as the stream total.
   */
  public HeatStats compute(HotKeySketch sketch) {
    int n = sketch.size();
    long[] hits = scratch(n);
    for (int slot = 0; slot < n; slot++) {
      hits[slot] = sketch.countAt(slot) - sketch.errorAt(slot);
    }
    return computeFromScratch(n, sketch.total());
  }

  /**
   * The heat of a stream of {@code total} accesses of which {@code hits[0..n)} were attributed to
   * distinct tracked keys (any order; values {@code <= 0} are ignored). If the hits sum to more
   * than {@code total}, the sum is used as the total.
   *
   * @throws IllegalArgumentException if {@code n} is out of {@code [0, hits.length]} or
   *     {@code total < 0}
   */
  public HeatStats compute(long[] hits, int n, long total) {
    if (n < 0 || n > hits.length) {
      throw new IllegalArgumentException("n must be in [0, " + hits.length + "], was " + n);
    }
    if (total < 0) {
      throw new IllegalArgumentException("total must be >= 0, was " + total);
    }
    long[] copy = scratch(n);
    System.arraycopy(hits, 0, copy, 0, n);
    return computeFromScratch(n, total);
  }

  private long[] scratch(int n) {
    if (scratch.length < n) {
      scratch = new long[Math.max(n, scratch.length * 2)];
    }
    return scratch;
  }

  private HeatStats computeFromScratch(int n, long total) {
    long[] hits = scratch;
    int tracked = 0;
    long trackedSum = 0;
    for (int i = 0; i < n; i++) {
      if (hits[i] > 0) {
        hits[tracked++] = hits[i];
        trackedSum += hits[i];
      }
    }
    total = Math.max(total, trackedSum);
    if (total == 0) {
      return HeatStats.EMPTY;
    }
    double untrackedShare = (double) (total - trackedSum) / total;
    if (tracked == 0) {
      return new HeatStats(total, 0, 0, 0, 0, 0, 0, 0, untrackedShare);
    }
    Arrays.sort(hits, 0, tracked);
    histogram.reset();
    for (int i = 0; i < tracked; i++) {
      histogram.recordValueWithCount(Math.min(hits[i], MAX_HITS), hits[i]);
    }
    long maxHits = hits[tracked - 1];
    return new HeatStats(total, tracked,
        (double) sumOfLargest(hits, tracked, 1) / total,
        (double) sumOfLargest(hits, tracked, 10) / total,
        (double) sumOfLargest(hits, tracked, 100) / total,
        percentile(50.0, maxHits),
        percentile(90.0, maxHits),
        percentile(99.0, maxHits),
        untrackedShare);
  }

  /** A bucket's highest equivalent value can pass the hottest key's hits: cap it there. */
  private long percentile(double q, long maxHits) {
    return Math.min(histogram.getValueAtPercentile(q), maxHits);
  }

  /** The sum of the {@code count} largest of the ascending {@code sorted[0..n)}. */
  private static long sumOfLargest(long[] sorted, int n, int count) {
    long sum = 0;
    for (int i = n - 1; i >= 0 && i >= n - count; i--) {
      sum += sorted[i];
    }
    return sum;
  }
}

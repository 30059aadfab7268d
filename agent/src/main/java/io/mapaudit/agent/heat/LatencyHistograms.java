package io.mapaudit.agent.heat;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;
import org.HdrHistogram.ShortCountsHistogram;

/**
 * Latency histograms of sampled map operations, one per operation name, created on first use.
 *
 * <p>Values are clamped into {@code [LOWEST_NANOS, HIGHEST_NANOS]} before recording, so
 * {@link #record} never throws for any {@code long} (HdrHistogram throws on out-of-range values).
 * At most {@link #MAX_OPS} names get their own histogram; later names share one under
 * {@link #OTHER_OP}. Memory grows only with the names seen: nothing before the first record, about
 * 1.6 KB per name while every bucket count fits in a {@code short}, about 2.6 KB once a bucket
 * passes 32,767 samples, and about 4.6 KB past 2^31 (HdrHistogram's own objects included).
 *
 * <p>Not thread-safe: confined to the drainer thread.
 */
public final class LatencyHistograms {
  /*
   * Design notes.
   *
   * 1 ns .. 10 s at 1 significant digit is 31 half-buckets of 16 sub-buckets: 496 counts. At 2
   * digits it would be 3,584 counts (14 KB as ints) per name, which alone busts the per-map budget
   * (MapHeat javadoc). 1 digit still resolves to 1/16 of a power of two (~6%).
   *
   * Counts start as shorts and widen on overflow (short -> int -> long): most maps are cold, and a
   * hot map pays for width only where it needs it. Short/IntCountsHistogram check for overflow
   * before they store, so the record that throws left the histogram unchanged and is replayed on
   * the wider copy (see record_bucketOverflow_widensWithoutLosingSamples).
   *
   * The exact maximum is kept beside each histogram: getMaxValue() reports the top of the max's
   * bucket, up to 6% above any value that was recorded.
   */

  /** The most operation names with a histogram of their own. */
  public static final int MAX_OPS = 24;
  /** The name under which operations beyond {@link #MAX_OPS} distinct names are recorded. */
  public static final String OTHER_OP = "other";
  /** Smaller latencies (including zero and negative) are recorded as this. */
  public static final long LOWEST_NANOS = 1;
  /** Larger latencies are recorded as this: 10 seconds. */
  public static final long HIGHEST_NANOS = 10_000_000_000L;

  static final int SIGNIFICANT_DIGITS = 1;

  private String[] names;
  private AbstractHistogram[] histograms;
  private long[] maxima;
  private int size;

  /** Creates an empty set; allocates nothing until the first {@link #record}. */
  public LatencyHistograms() {}

  /**
   * Records one sampled call of {@code op} that took {@code nanos}, clamped into range. A null
   * {@code op} counts as {@link #OTHER_OP}.
   */
  public void record(String op, long nanos) {
    long value = Math.max(LOWEST_NANOS, Math.min(HIGHEST_NANOS, nanos));
    int i = indexOf(op == null ? OTHER_OP : op);
    AbstractHistogram histogram = histograms[i];
    try {
      histogram.recordValue(value);
    } catch (IllegalStateException countOverflow) {
      histogram = widen(histogram);
      histograms[i] = histogram;
      histogram.recordValue(value);
    }
    if (value > maxima[i]) {
      maxima[i] = value;
    }
  }

  /**
   * The stats of every operation name seen, sorted by name. Allocates the returned map (report
   * time only).
   */
  public Map<String, LatencyStats> snapshot() {
    if (size == 0) {
      return Collections.emptyMap();
    }
    Map<String, LatencyStats> result = new TreeMap<>();
    for (int i = 0; i < size; i++) {
      AbstractHistogram h = histograms[i];
      long max = maxima[i];
      result.put(names[i], new LatencyStats(h.getTotalCount(),
          Math.min(h.getValueAtPercentile(50.0), max),
          Math.min(h.getValueAtPercentile(90.0), max),
          Math.min(h.getValueAtPercentile(99.0), max),
          max));
    }
    return Collections.unmodifiableMap(result);
  }

  /** The number of operation names with a histogram (including {@link #OTHER_OP} once used). */
  public int opCount() {
    return size;
  }

  /** HdrHistogram's estimate of the histograms' footprint, in bytes. */
  public long estimatedFootprintBytes() {
    long bytes = 0;
    for (int i = 0; i < size; i++) {
      bytes += histograms[i].getEstimatedFootprintInBytes();
    }
    return bytes;
  }

  private int indexOf(String op) {
    for (int i = 0; i < size; i++) {
      String name = names[i];
      // Operation names are usually the same constant, so identity almost always hits first.
      if (name == op || name.equals(op)) {
        return i;
      }
    }
    if (size >= MAX_OPS && !OTHER_OP.equals(op)) {
      return indexOf(OTHER_OP);
    }
    if (names == null) {
      names = new String[4];
      histograms = new AbstractHistogram[4];
      maxima = new long[4];
    } else if (size == names.length) {
      int capacity = Math.min(MAX_OPS + 1, size * 2);
      names = Arrays.copyOf(names, capacity);
      histograms = Arrays.copyOf(histograms, capacity);
      maxima = Arrays.copyOf(maxima, capacity);
    }
    names[size] = op;
    histograms[size] = new ShortCountsHistogram(LOWEST_NANOS, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    return size++;
  }

  private static AbstractHistogram widen(AbstractHistogram narrow) {
    AbstractHistogram wide = narrow instanceof ShortCountsHistogram
        ? new IntCountsHistogram(LOWEST_NANOS, HIGHEST_NANOS, SIGNIFICANT_DIGITS)
        : new Histogram(LOWEST_NANOS, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    wide.add(narrow);
    return wide;
  }
}

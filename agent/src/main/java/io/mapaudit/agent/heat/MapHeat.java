package io.mapaudit.agent.heat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The heat of one tracked map: hot keys over tumbling windows plus a cumulative view, and latency
 * of sampled operations by name. Operation counts live in the map's profile, not here.
 *
 * <p>Every call is one sampled operation. Keys arrive already rendered by {@link KeyRenderer}; a
 * {@code null} key ({@code keys=off}) is counted in {@link HeatReport#sampledOps()} but tracks no
 * key.
 *
 * <p>Memory is bounded whatever the number of distinct keys: two sketches of {@code m} counters,
 * the last window's top {@value WindowedHotKeys#DEFAULT_RETAINED_TOP} and at most
 * {@value LatencyHistograms#MAX_OPS} + 1 latency histograms. With m = 128, budget about 28 KB for
 * a hot map with 4 operation names, 1.8 KB for an untouched one (measurements below).
 *
 * <p>Not thread-safe: confined to the drainer thread, including construction (the heat histogram
 * used at window rotation is the constructing thread's {@link HeatHistogram#forCurrentThread()}).
 */
public final class MapHeat {
  /*
   * Design notes: footprint.
   *
   * Measured on JDK 17 with compressed oops (JOL GraphLayout, confirmed by MapHeatFootprintTest's
   * used-heap difference: 26.6-28.0 KB over runs) with m = 128 after 1M distinct 11-char keys over 10 windows:
   * 16.3 KB for the hot-key part alone (8 KB of counter arrays, 8 KB for the ~146 key strings the two
   * sketches hold), 22.9 KB with latency on 4 names while bucket counts fit in shorts, 26.9 KB
   * once they widen to ints. 10 keys and 2 names: 6.6 KB. Untouched: 1.8 KB.
   *
   * The 16 KB per-map target is met only without latency. m stays at 128 because below it the true
   * top 10 of a Zipf(1.0) stream (1M ops, 100k keys) are no longer reliably recalled: m = 96
   * recalled all 10 on 6 of 10 seeds, m = 64 on none (the tail's mass inflates churning counters
   * past rank 10's count). Latency is
   * already at HdrHistogram's lowest precision (LatencyHistograms notes).
   */

  /** The default number of Space-Saving counters per sketch. */
  public static final int DEFAULT_COUNTERS = 128;

  private final WindowedHotKeys keys;
  private final LatencyHistograms latency = new LatencyHistograms();
  private long sampledOps;

  /**
   * @param m Space-Saving counters per sketch, {@code [1, HotKeySketch.MAX_COUNTERS]}
   * @param windowMillis the tumbling window length, {@code > 0}
   * @param nowMillis the start of the first window
   * @throws IllegalArgumentException if {@code m} or {@code windowMillis} is out of range
   */
  public MapHeat(int m, long windowMillis, long nowMillis) {
    this(m, windowMillis, nowMillis, HeatHistogram.forCurrentThread());
  }

  /** As {@link #MapHeat(int, long, long)}, with an explicit shared heat histogram. */
  public MapHeat(int m, long windowMillis, long nowMillis, HeatHistogram heatHistogram) {
    this.keys = new WindowedHotKeys(m, windowMillis, nowMillis,
        WindowedHotKeys.DEFAULT_RETAINED_TOP, heatHistogram);
  }

  /**
   * Records one sampled operation on {@code renderedKey} at {@code nowMillis}, rotating windows
   * first if due. A {@code null} key is counted as a sampled operation only.
   */
  public void recordKey(String renderedKey, long nowMillis) {
    sampledOps++;
    if (renderedKey == null) {
      keys.advanceTo(nowMillis);
    } else {
      keys.add(renderedKey, 1, nowMillis);
    }
  }

  /** Records the latency of one sampled {@code op}; any value is accepted and clamped. */
  public void recordLatency(String op, long nanos) {
    latency.record(op, nanos);
  }

  /** All sampled operations recorded, with or without a key. */
  public long sampledOps() {
    return sampledOps;
  }

  /**
   * Rotates windows if due and snapshots the heat: the top {@code k} keys of the last complete
   * window if it had data, else of the current window (the last window keeps at most
   * {@value WindowedHotKeys#DEFAULT_RETAINED_TOP}), the cumulative top {@code k}, the window's heat
   * and the latency by operation. Counts are multiplied by {@code samplingInterval}.
   *
   * @throws IllegalArgumentException if {@code k < 0} or {@code samplingInterval < 1}
   */
  public HeatReport report(int k, long samplingInterval, long nowMillis) {
    if (samplingInterval < 1) {
      throw new IllegalArgumentException(
          "samplingInterval must be positive, was " + samplingInterval);
    }
    keys.advanceTo(nowMillis);
    WindowSummary last = keys.lastWindow(k);
    boolean useLast = !last.isEmpty();
    WindowSummary window = useLast ? last : keys.current(k);
    WindowSummary cumulative = keys.cumulative(k);
    return new HeatReport(useLast ? HeatReport.WINDOW_LAST : HeatReport.WINDOW_CURRENT,
        window.windowStartMillis(), window.windowEndMillis(), window.total(),
        views(window, samplingInterval), views(cumulative, samplingInterval),
        window.heat().scaled(samplingInterval), latency.snapshot(), sampledOps, samplingInterval);
  }

  /**
   * The HOT_KEY check. In the window {@link #report} would use (the last complete one if it had
   * data, else the current one), takes the key with the largest guaranteed count
   * ({@code count - error}: the hottest key whenever Space-Saving's bounds are tight) and returns
   * it if the window had at least {@code minSampledOps} sampled operations with a key and the
   * key's guaranteed share, {@code (count - error) / total}, is at least {@code minShare}; else
   * {@code null}. Using the lower bound means a key is called hot only when the sampled stream
   * proves it, never through a churning counter's overestimate. The view's counts are unscaled
   * and its share is {@code count / total}. Does not rotate windows ({@link #report} and
   * {@link #recordKey} do).
   */
  public HotKeyView hottest(double minShare, long minSampledOps) {
    long total = keys.reportedWindowTotal();
    if (total == 0 || total < minSampledOps) {
      return null;
    }
    HotKey top = keys.reportedWindowMostProven();
    if ((double) top.guaranteedCount() / total < minShare) {
      return null;
    }
    return new HotKeyView(top.key(), top.count(), top.error(), (double) top.count() / total);
  }

  private static List<HotKeyView> views(WindowSummary window, long samplingInterval) {
    List<HotKey> top = window.top();
    if (top.isEmpty()) {
      return Collections.emptyList();
    }
    long total = window.total();
    List<HotKeyView> views = new ArrayList<>(top.size());
    for (HotKey hot : top) {
      views.add(new HotKeyView(hot.key(), HeatStats.scale(hot.count(), samplingInterval),
          HeatStats.scale(hot.error(), samplingInterval), (double) hot.count() / total));
    }
    return Collections.unmodifiableList(views);
  }
}

package io.mapaudit.agent.heat;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of one map's heat for the report writers and exporters. Immutable.
 *
 * <p>{@link #hotKeys()} and {@link #heat()} describe the window named by {@link #window()}: the
 * last complete window when it had data, else the current one. Counts are scaled by the sampling
 * interval; shares are not affected by it.
 */
public final class HeatReport {
  /** {@link #window()} value: the last complete window. */
  public static final String WINDOW_LAST = "last";
  /** {@link #window()} value: the current, incomplete window. */
  public static final String WINDOW_CURRENT = "current";

  private final String window;
  private final long windowStartMillis;
  private final long windowEndMillis;
  private final long windowSampledOps;
  private final List<HotKeyView> hotKeys;
  private final List<HotKeyView> cumulativeHotKeys;
  private final HeatStats heat;
  private final Map<String, LatencyStats> latency;
  private final long sampledOps;
  private final long samplingInterval;

  HeatReport(String window, long windowStartMillis, long windowEndMillis, long windowSampledOps,
      List<HotKeyView> hotKeys, List<HotKeyView> cumulativeHotKeys, HeatStats heat,
      Map<String, LatencyStats> latency, long sampledOps, long samplingInterval) {
    this.window = window;
    this.windowStartMillis = windowStartMillis;
    this.windowEndMillis = windowEndMillis;
    this.windowSampledOps = windowSampledOps;
    this.hotKeys = hotKeys;
    this.cumulativeHotKeys = cumulativeHotKeys;
    this.heat = heat;
    this.latency = latency;
    this.sampledOps = sampledOps;
    this.samplingInterval = samplingInterval;
  }

  /** {@link #WINDOW_LAST} or {@link #WINDOW_CURRENT}. */
  public String window() {
    return window;
  }

  /** Inclusive start of the reported window. */
  public long windowStartMillis() {
    return windowStartMillis;
  }

  /** Exclusive end of the reported window (scheduled end, for the current one). */
  public long windowEndMillis() {
    return windowEndMillis;
  }

  /** Sampled operations with a key in the reported window (unscaled). */
  public long windowSampledOps() {
    return windowSampledOps;
  }

  /** The reported window's hottest keys, hottest first; empty with {@code keys=off}. */
  public List<HotKeyView> hotKeys() {
    return hotKeys;
  }

  /** The hottest keys since tracking started (no aging), shares of the cumulative total. */
  public List<HotKeyView> cumulativeHotKeys() {
    return cumulativeHotKeys;
  }

  /** The reported window's heat, counts scaled by the sampling interval. */
  public HeatStats heat() {
    return heat;
  }

  /** Latency of sampled operations by operation name, nanoseconds, sorted by name. */
  public Map<String, LatencyStats> latency() {
    return latency;
  }

  /** All sampled operations recorded since tracking started, with or without a key (unscaled). */
  public long sampledOps() {
    return sampledOps;
  }

  /** The sampling interval the counts were scaled by. */
  public long samplingInterval() {
    return samplingInterval;
  }
}

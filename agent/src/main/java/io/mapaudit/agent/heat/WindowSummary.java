package io.mapaudit.agent.heat;

import java.util.List;

/**
 * The hot keys of one time range of a {@link WindowedHotKeys}: the top list, the total weight and
 * the heat, for {@code [windowStartMillis, windowEndMillis)}. Immutable.
 */
public final class WindowSummary {
  private final List<HotKey> top;
  private final long total;
  private final long windowStartMillis;
  private final long windowEndMillis;
  private final HeatStats heat;

  WindowSummary(List<HotKey> top, long total, long windowStartMillis, long windowEndMillis,
      HeatStats heat) {
    this.top = top;
    this.total = total;
    this.windowStartMillis = windowStartMillis;
    this.windowEndMillis = windowEndMillis;
    this.heat = heat;
  }

  /** The hottest keys, count descending then key ascending; unmodifiable. */
  public List<HotKey> top() {
    return top;
  }

  /** The total weight added in the range (sampled operations with a key). */
  public long total() {
    return total;
  }

  /** Inclusive start of the range. */
  public long windowStartMillis() {
    return windowStartMillis;
  }

  /**
   * Exclusive end of the range; for the current window, the time it is scheduled to close.
   */
  public long windowEndMillis() {
    return windowEndMillis;
  }

  /** The heat of the range, unscaled (sampled counts). */
  public HeatStats heat() {
    return heat;
  }

  /** Whether nothing was added in the range. */
  public boolean isEmpty() {
    return total == 0;
  }

  @Override
  public String toString() {
    return "WindowSummary{[" + windowStartMillis + ", " + windowEndMillis + "), total=" + total
        + ", top=" + top + '}';
  }
}

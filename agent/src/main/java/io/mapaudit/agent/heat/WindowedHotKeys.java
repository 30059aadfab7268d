package io.mapaudit.agent.heat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Hot keys over tumbling windows of {@code windowMillis}: the current window, the last complete
 * window (frozen at rotation) and a cumulative view over all time.
 *
 * <p>Windows are aligned on {@code startMillis}: window {@code i} is
 * {@code [start + i * window, start + (i + 1) * window)}. {@link #add} and {@link #advanceTo}
 * rotate as soon as the given time reaches the current window's end. If more than one window
 * elapsed, the last complete window is the (empty) one just before the new current window. A time
 * earlier than the current window's start (a clock step back) counts in the current window.
 *
 * <p>The last window keeps only its top {@code retainedTop} entries (in preallocated arrays) and
 * its {@link HeatStats}, computed at rotation; the cumulative view is a Space-Saving summary
 * without aging, so stale keys stay in it (by design: it answers "hot since start").
 *
 * <p>Not thread-safe: confined to the drainer thread, including construction.
 */
public final class WindowedHotKeys {
  /** How many entries of a window's top list survive its rotation, by default. */
  public static final int DEFAULT_RETAINED_TOP = 16;

  private final long windowMillis;
  private final long startMillis;
  private final HeatHistogram heatHistogram;
  private final HotKeySketch current;
  private final HotKeySketch cumulative;

  private long windowStart;

  private final String[] lastKeys;
  private final long[] lastCounts;
  private final long[] lastErrors;
  private int lastSize;
  private long lastTotal;
  private long lastStart;
  private long lastEnd;
  private HeatStats lastHeat = HeatStats.EMPTY;
  private boolean hasLast;

  /**
   * Equivalent to {@code new WindowedHotKeys(m, windowMillis, startMillis, DEFAULT_RETAINED_TOP,
   * HeatHistogram.forCurrentThread())}.
   */
  public WindowedHotKeys(int m, long windowMillis, long startMillis) {
    this(m, windowMillis, startMillis, DEFAULT_RETAINED_TOP, HeatHistogram.forCurrentThread());
  }

  /**
   * @param m counters per sketch (see {@link HotKeySketch#HotKeySketch(int)})
   * @param windowMillis the window length, {@code > 0}
   * @param startMillis the start of the first window
   * @param retainedTop how many top entries of a completed window are kept, {@code >= 1}
   * @param heatHistogram computes the heat of a window at rotation (shared, drainer-confined)
   * @throws IllegalArgumentException if an argument is out of range
   */
  public WindowedHotKeys(int m, long windowMillis, long startMillis, int retainedTop,
      HeatHistogram heatHistogram) {
    if (windowMillis <= 0) {
      throw new IllegalArgumentException("windowMillis must be positive, was " + windowMillis);
    }
    if (retainedTop < 1) {
      throw new IllegalArgumentException("retainedTop must be positive, was " + retainedTop);
    }
    if (heatHistogram == null) {
      throw new NullPointerException("heatHistogram");
    }
    this.current = new HotKeySketch(m);
    this.cumulative = new HotKeySketch(m);
    this.windowMillis = windowMillis;
    this.startMillis = startMillis;
    this.windowStart = startMillis;
    this.heatHistogram = heatHistogram;
    int retained = Math.min(retainedTop, m);
    this.lastKeys = new String[retained];
    this.lastCounts = new long[retained];
    this.lastErrors = new long[retained];
  }

  /**
   * Rotates if {@code nowMillis} is past the current window, then adds {@code weight} of
   * {@code key} to the current window and to the cumulative view.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if {@code weight < 1}
   */
  public void add(String key, long weight, long nowMillis) {
    advanceTo(nowMillis);
    current.add(key, weight);
    cumulative.add(key, weight);
  }

  /** Rotates the windows if {@code nowMillis} reached the end of the current one. */
  public void advanceTo(long nowMillis) {
    long sinceStart = nowMillis - windowStart;
    if (sinceStart < windowMillis) {
      return;
    }
    long elapsed = sinceStart / windowMillis;
    if (elapsed == 1) {
      lastSize = current.topInto(lastKeys, lastCounts, lastErrors);
      Arrays.fill(lastKeys, lastSize, lastKeys.length, null);
      lastTotal = current.total();
      lastHeat = lastTotal == 0 ? HeatStats.EMPTY : heatHistogram.compute(current);
    } else {
      Arrays.fill(lastKeys, null);
      lastSize = 0;
      lastTotal = 0;
      lastHeat = HeatStats.EMPTY;
    }
    windowStart += elapsed * windowMillis;
    lastStart = windowStart - windowMillis;
    lastEnd = windowStart;
    hasLast = true;
    current.clear();
  }

  /** Whether at least one window has completed (it may be empty). */
  public boolean hasCompleteWindow() {
    return hasLast;
  }

  /**
   * The last complete window's top {@code min(k, retainedTop)} keys, total and heat, as frozen at
   * rotation; before any rotation, an empty summary of the window before the first one.
   */
  public WindowSummary lastWindow(int k) {
    checkK(k);
    if (!hasLast) {
      return new WindowSummary(Collections.emptyList(), 0, startMillis - windowMillis, startMillis,
          HeatStats.EMPTY);
    }
    int n = Math.min(k, lastSize);
    List<HotKey> top = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      top.add(new HotKey(lastKeys[i], lastCounts[i], lastErrors[i]));
    }
    return new WindowSummary(Collections.unmodifiableList(top), lastTotal, lastStart, lastEnd,
        lastHeat);
  }

  /** The current, incomplete window: top {@code k}, total so far and heat so far. */
  public WindowSummary current(int k) {
    checkK(k);
    return new WindowSummary(current.top(k), current.total(), windowStart,
        windowStart + windowMillis, heatOf(current));
  }

  /**
   * Everything since {@code startMillis} (including the current window), without aging: top
   * {@code k}, total and heat.
   */
  public WindowSummary cumulative(int k) {
    checkK(k);
    return new WindowSummary(cumulative.top(k), cumulative.total(), startMillis,
        windowStart + windowMillis, heatOf(cumulative));
  }

  /**
   * In the window {@code MapHeat} reports (the last complete window if it had data, else the
   * current one), the key with the largest guaranteed count; for the last window, among its
   * retained top entries. Cheap: no heat computation, one allocation.
   *
   * @return that key, or {@code null} if the window is empty
   */
  HotKey reportedWindowMostProven() {
    if (lastTotal > 0) {
      int i = HotKeySketch.mostProven(lastKeys, lastCounts, lastErrors, lastSize);
      return new HotKey(lastKeys[i], lastCounts[i], lastErrors[i]);
    }
    return current.mostProven();
  }

  /** The total of the window {@link #reportedWindowMostProven()} describes. */
  long reportedWindowTotal() {
    return lastTotal > 0 ? lastTotal : current.total();
  }

  /** The window length in milliseconds. */
  public long windowMillis() {
    return windowMillis;
  }

  /** The start of the current window. */
  public long currentWindowStartMillis() {
    return windowStart;
  }

  private HeatStats heatOf(HotKeySketch sketch) {
    return sketch.total() == 0 ? HeatStats.EMPTY : heatHistogram.compute(sketch);
  }

  private static void checkK(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0, was " + k);
    }
  }
}

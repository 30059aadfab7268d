package io.mapaudit.agent.detect;

/**
 * The maps the drainer has seen used by more than one thread, published for application threads
 * as an immutable open-addressed table of identity hashes. Written by the drainer only (a new
 * table per publication), read lock-free on sampled operations. A hash collision only makes a
 * watchpoint more likely on an unshared map, which costs a pause within the budget, never a
 * false finding.
 */
public final class SharedMapsHint {
  /** Most maps in the hint; beyond it, sharing is found by the watchpoints' base rate. */
  public static final int MAX_MAPS = 4096;
  private volatile int[] table = new int[0];

  /** True when {@code map} was seen used by more than one thread. */
  boolean contains(Object map) {
    int[] t = table;
    if (t.length == 0) {
      return false;
    }
    int h = System.identityHashCode(map);
    int mask = t.length - 1;
    for (int i = mix(h) & mask, n = 0; n < t.length; i = (i + 1) & mask, n++) {
      int v = t[i];
      if (v == 0) {
        return false;
      }
      if (v == h) {
        return true;
      }
    }
    return false;
  }

  /** Publishes the identity hashes {@code hashes[0..count)} (0 never occurs: it is free). */
  public void publish(int[] hashes, int count) {
    int n = Math.min(count, MAX_MAPS);
    int size = Integer.highestOneBit(Math.max(2, n * 2) - 1) << 1;
    int[] t = new int[n == 0 ? 0 : size];
    for (int k = 0; k < n; k++) {
      int h = hashes[k];
      if (h == 0) {
        continue;
      }
      int mask = t.length - 1;
      int i = mix(h) & mask;
      while (t[i] != 0 && t[i] != h) {
        i = (i + 1) & mask;
      }
      t[i] = h;
    }
    table = t;
  }

  private static int mix(int h) {
    return h * 0x9E3779B9;
  }
}

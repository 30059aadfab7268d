package io.mapaudit.demo;

import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Config refresh. The invalidation loop removes stale keys from the {@code HashMap} it is iterating
 * ({@code for (k : config.keySet()) if (stale(k)) config.remove(k)}): the next step throws
 * {@code ConcurrentModificationException} and leaves the other stale keys in place, and when the
 * removed key is the last one iterated the loop ends silently. Fixed: {@code keySet().removeIf}.
 *
 * <p>Not thread-safe: confined to one refresher thread (the service hands HTTP refreshes to it).
 */
final class ConfigRefresher {

  static final int KEYS = 64;

  /** What one refresh did. */
  record Result(int removed, boolean threwCme, int staleLeft) {}

  private final boolean fixed;
  private final Map<String, Integer> config = new HashMap<>(); // key -> loaded version
  private final int[] sourceVersions = new int[KEYS]; // the config source's latest versions
  private final SplittableRandom random = new SplittableRandom(42);
  // Written by the refresher thread only; volatile so that /stats reads them from other threads.
  private volatile long runs;
  private volatile long cmes;
  private volatile long silentModifications;
  private volatile long staleLeft;

  ConfigRefresher(boolean fixed) {
    this.fixed = fixed;
    reload();
  }

  static String key(int i) {
    return "feature.flag." + i;
  }

  /** Publishes a few changes at the source, invalidates the stale keys and reloads them. */
  Result refresh() {
    runs++; // single writer
    publishChanges();
    int before = config.size();
    boolean threw = false;
    if (fixed) {
      config.keySet().removeIf(this::isStale);
    } else {
      try {
        for (String key : config.keySet()) {
          if (isStale(key)) {
            config.remove(key); // BUG: structural change while the for-each iterator is live
          }
        }
      } catch (ConcurrentModificationException e) {
        threw = true;
        cmes++;
      }
    }
    int removed = before - config.size();
    if (removed > 0 && !threw && !fixed) {
      silentModifications++; // removed the last key iterated: no exception, same bug
    }
    int left = 0;
    for (String key : config.keySet()) {
      if (isStale(key)) {
        left++;
      }
    }
    staleLeft += left;
    reload();
    return new Result(removed, threw, left);
  }

  /*
   * A fixed four-run cycle, so that the buggy loop shows every outcome and the number of stale keys
   * stays bounded: two keys change (remove one, CME, one left stale), nothing changes (the leftover
   * is removed), only the key iterated last changes (removed, loop ends without an exception), one
   * key changes (removed, CME unless it was last).
   */
  private void publishChanges() {
    switch ((int) (runs % 4)) {
      case 1 -> {
        int first = random.nextInt(KEYS);
        sourceVersions[first]++;
        sourceVersions[(first + 1 + random.nextInt(KEYS - 1)) % KEYS]++;
      }
      case 2 -> { }
      case 3 -> {
        String last = null;
        for (String key : config.keySet()) {
          last = key;
        }
        sourceVersions[indexOf(last)]++;
      }
      default -> sourceVersions[random.nextInt(KEYS)]++;
    }
  }

  private boolean isStale(String key) {
    return config.get(key) < sourceVersions[indexOf(key)];
  }

  /** Loads the keys that are not in the config (at their latest version). */
  private void reload() {
    for (int i = 0; i < KEYS; i++) {
      config.putIfAbsent(key(i), sourceVersions[i]);
    }
  }

  private static int indexOf(String key) {
    return Integer.parseInt(key.substring(key.lastIndexOf('.') + 1));
  }

  long runs() {
    return runs;
  }

  long cmesCaught() {
    return cmes;
  }

  long silentModifications() {
    return silentModifications;
  }

  /** Stale keys that survived a refresh, summed over all refreshes. */
  long staleEntriesLeft() {
    return staleLeft;
  }
}

package io.mapaudit.agent.profile;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The side table of map profiles: weak identity keys, bounded size. Drainer-thread only.
 *
 * <p>A map is found by {@code ==}, never by its own {@code hashCode}/{@code equals} (which would
 * walk the map and run user code); the table holds it weakly, so tracking never keeps a map alive.
 * Collected maps are expunged through a reference queue; their profile is handed to
 * {@link Retirement} so that short-lived maps still reach the report. When full, the least
 * recently active of a few randomly sampled entries is evicted (Redis-style sampled LRU: O(1)
 * per insertion, where a full scan would cost O(maxMaps) under map churn).
 */
public final class MapProfileTable {
  /** Receives the profiles of maps that were collected or evicted. */
  public interface Retirement {
    void retired(MapProfile profile, boolean evicted);
  }

  private static final int EVICTION_SAMPLES = 8;

  private static final class Entry extends WeakReference<Object> {
    final int hash;
    final MapProfile profile;
    Entry next;

    Entry(Object map, int hash, MapProfile profile, ReferenceQueue<Object> q) {
      super(map, q);
      this.hash = hash;
      this.profile = profile;
    }
  }

  private final int maxSize;
  private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
  private final Retirement retirement;
  private Entry[] table = new Entry[64];
  private int size;
  private long evicted;
  private long collected;

  public MapProfileTable(int maxSize, Retirement retirement) {
    this.maxSize = maxSize;
    this.retirement = retirement;
  }

  /** The profile of {@code map}, or null when it is not tracked. */
  public MapProfile get(Object map) {
    int h = System.identityHashCode(map);
    for (Entry e = table[h & (table.length - 1)]; e != null; e = e.next) {
      if (e.hash == h && e.get() == map) {
        return e.profile;
      }
    }
    return null;
  }

  /** Tracks {@code map} with {@code profile}, evicting one when full. The map must be new. */
  public void put(Object map, MapProfile profile) {
    expunge();
    if (size >= maxSize) {
      evictOne();
    }
    if (size >= table.length * 3 / 4) {
      resize();
    }
    int h = System.identityHashCode(map);
    int i = h & (table.length - 1);
    Entry e = new Entry(map, h, profile, queue);
    e.next = table[i];
    table[i] = e;
    size++;
  }

  /** Removes the entries of collected maps; returns how many. */
  public int expunge() {
    int n = 0;
    for (Object r; (r = queue.poll()) != null; ) {
      Entry e = (Entry) r;
      if (unlink(e)) {
        n++;
        collected++;
        retirement.retired(e.profile, false);
      }
    }
    return n;
  }

  private boolean unlink(Entry target) {
    int i = target.hash & (table.length - 1);
    Entry prev = null;
    for (Entry e = table[i]; e != null; prev = e, e = e.next) {
      if (e == target) {
        if (prev == null) {
          table[i] = e.next;
        } else {
          prev.next = e.next;
        }
        size--;
        return true;
      }
    }
    return false;
  }

  private void evictOne() {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    Entry victim = null;
    int seen = 0;
    // Sample buckets until EVICTION_SAMPLES entries were compared (bounded): sampling buckets
    // alone could compare a hot map with nothing and evict it.
    for (int tries = 0; tries < EVICTION_SAMPLES * 16 && seen < EVICTION_SAMPLES; tries++) {
      for (Entry e = table[rnd.nextInt(table.length)]; e != null; e = e.next) {
        seen++;
        if (victim == null || e.profile.lastActive < victim.profile.lastActive) {
          victim = e;
        }
      }
    }
    if (victim == null) {
      for (int i = 0; i < table.length && victim == null; i++) {
        victim = table[i];
      }
    }
    if (victim != null && unlink(victim)) {
      victim.clear();
      evicted++;
      retirement.retired(victim.profile, true);
    }
  }

  private void resize() {
    Entry[] old = table;
    Entry[] t = new Entry[old.length * 2];
    for (Entry head : old) {
      for (Entry e = head; e != null; ) {
        Entry next = e.next;
        int i = e.hash & (t.length - 1);
        e.next = t[i];
        t[i] = e;
        e = next;
      }
    }
    table = t;
  }

  /** Visits every tracked profile whose map is still reachable. */
  public void forEach(java.util.function.Consumer<MapProfile> c) {
    for (Entry head : table) {
      for (Entry e = head; e != null; e = e.next) {
        if (e.get() != null) {
          c.accept(e.profile);
        }
      }
    }
  }

  public int size() {
    return size;
  }

  public long evicted() {
    return evicted;
  }

  public long collected() {
    return collected;
  }
}

package io.mapaudit.agent.profile;

import io.mapaudit.bootstrap.MapOp;

/**
 * What the drainer knows about one map: its type, name (allocation or first-seen site), sampled
 * operation counts and the threads that wrote it. Drainer-thread only; never references the map.
 */
public final class MapProfile {
  /** Writer threads remembered per map; more are counted, not listed. */
  public static final int MAX_WRITERS = 16;
  /** Missed keys remembered per map. */
  public static final int MAX_MISS_KEYS = 8;

  final String mapType;
  final String mapId;
  final int identityHash;
  String site;
  boolean allocationSite;
  final long[] ops = new long[MapOp.COUNT];
  long sampledOps;
  /** Records drained for this map, each counted once whatever weight it carried. */
  long records;
  long lastActive;
  final long firstSeenMillis;
  final long[] writerIds = new long[MAX_WRITERS];
  final String[] writerNames = new String[MAX_WRITERS];
  final boolean[] writerHeldMonitor = new boolean[MAX_WRITERS];
  final boolean[] writerWithoutMonitor = new boolean[MAX_WRITERS];
  int writers;
  int writersOverflow;
  /** The first thread seen using the map (reads too), and whether another one followed. */
  private long firstToucher = -1L;
  private boolean shared;
  long misses;
  /** Rendered missed key → sampled misses, at most {@link #MAX_MISS_KEYS} keys. */
  final java.util.LinkedHashMap<String, Long> missKeys = new java.util.LinkedHashMap<>();
  /** Latest miss site per operation (get, getOrDefault), reused by misses past the rate limit. */
  public final String[] lastMissSite = new String[2];
  /** When the latest HOT_KEY finding was raised for this map (one per heat window). */
  public long lastHotKeyMillis = Long.MIN_VALUE / 2;
  /** Set once a CROSS_THREAD_WRITES finding was raised for this map. */
  public boolean crossThreadReported;
  /** A concurrent map (set when the profile is created, from the map itself). */
  public boolean threadSafe;
  /** Extension slot for heat and detectors (drainer-owned). */
  public Object heat;

  public MapProfile(String mapType, String mapId, int identityHash, long nowMillis) {
    this.mapType = mapType;
    this.mapId = mapId;
    this.identityHash = identityHash;
    this.firstSeenMillis = nowMillis;
  }

  /** Counts one sampled operation standing for {@code weight} samples (drops carried over). */
  public void count(int op, long tick, int weight) {
    if (op >= 0 && op < MapOp.COUNT) {
      ops[op] += weight;
    }
    records++;
    sampledOps += weight;
    lastActive = tick;
  }

  /** Notes a thread that used the map. */
  public void toucher(long threadId) {
    if (firstToucher == -1L) {
      firstToucher = threadId;
    } else if (threadId != firstToucher) {
      shared = true;
    }
  }

  /** True once two or more threads were seen using the map. */
  public boolean shared() {
    return shared;
  }

  public int identityHash() {
    return identityHash;
  }

  /** Remembers a writer thread, and whether it held the map's monitor for this write. */
  public void writer(long threadId, String threadName, boolean heldMonitor) {
    for (int i = 0; i < writers; i++) {
      if (writerIds[i] == threadId) {
        if (heldMonitor) {
          writerHeldMonitor[i] = true;
        } else {
          writerWithoutMonitor[i] = true;
        }
        return;
      }
    }
    if (writers < MAX_WRITERS) {
      writerIds[writers] = threadId;
      writerNames[writers] = threadName;
      writerHeldMonitor[writers] = heldMonitor;
      writerWithoutMonitor[writers] = !heldMonitor;
      writers++;
    } else {
      writersOverflow++;
    }
  }

  /** Sets the allocation site (wins over a first-seen site) or a first-seen site. */
  public void site(String s, boolean allocation) {
    if (s == null) {
      return;
    }
    if (allocation && !allocationSite) {
      site = s;
      allocationSite = true;
    } else if (site == null) {
      site = s;
    }
  }

  /** Counts a confirmed miss of {@code renderedKey} (null when keys are off). */
  public void miss(String renderedKey, int weight) {
    misses += weight;
    if (renderedKey != null
        && (missKeys.containsKey(renderedKey) || missKeys.size() < MAX_MISS_KEYS)) {
      missKeys.merge(renderedKey, (long) weight, Long::sum);
    }
  }

  /** Missed keys with their sampled miss counts (a copy). */
  public java.util.Map<String, Long> missKeys() {
    return new java.util.LinkedHashMap<>(missKeys);
  }

  public String mapType() {
    return mapType;
  }

  public String mapId() {
    return mapId;
  }

  public String site() {
    return site;
  }

  public boolean allocationSite() {
    return allocationSite;
  }

  public long ops(int op) {
    return ops[op];
  }

  public long sampledOps() {
    return sampledOps;
  }

  /** Records drained for this map (sampledOps counts the weight of dropped records too). */
  public long records() {
    return records;
  }

  public long firstSeenMillis() {
    return firstSeenMillis;
  }

  /** Distinct writer threads seen (including those past {@link #MAX_WRITERS}, approximately). */
  public int writerCount() {
    return writers + (writersOverflow > 0 ? 1 : 0);
  }

  public int listedWriters() {
    return writers;
  }

  public String writerName(int i) {
    return writerNames[i];
  }

  /** True when every sampled write by writer {@code i} held the map's monitor. */
  public boolean writerAlwaysHeldMonitor(int i) {
    return writerHeldMonitor[i] && !writerWithoutMonitor[i];
  }

  public long misses() {
    return misses;
  }
}

package io.mapaudit.agent.heat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A Space-Saving top-k summary of a weighted stream of rendered keys, with at most {@code m}
 * counters.
 *
 * <p>Guarantees (Metwally et al.): every tracked key's true weight {@code t} satisfies
 * {@code count - error <= t <= count}; any key whose true weight exceeds {@code total() / m} is
 * tracked; when no more than {@code m} distinct keys were added, every count is exact
 * ({@code error == 0}). The tracked counts always sum to {@link #total()}.
 *
 * <p>{@link #add} is O(log m) and allocation-free once the counter arrays have grown to
 * {@code m} (they start at 16 and double, so a map that sees few keys pays for few counters).
 * Memory at capacity is 28 bytes per counter plus the key strings, which are shared with the
 * caller and never copied.
 *
 * <p>Not thread-safe: confined to the drainer thread. Keys are {@link String}s only, so the
 * {@code hashCode}/{@code equals} called here are the JDK's, never user code.
 */
public final class HotKeySketch {
  /*
   * Design notes.
   *
   * Space-Saving: A. Metwally, D. Agrawal, A. El Abbadi, "Efficient Computation of Frequent and
   * Top-k Elements in Data Streams", ICDT 2005. On a miss with all m counters taken, the counter
   * with the minimum count is handed to the new key with count = min + weight and error = min.
   *
   * The paper's Stream-Summary (doubly linked buckets) gives O(1) for unit weights but costs
   * objects per counter and does not handle weights. Instead: parallel arrays indexed by a slot
   * number (keys, counts, errors), an indexed binary min-heap over slots (heap: position -> slot,
   * heapPos: slot -> position) so both "find the min" and "a count grew" are O(log m), and an
   * open-addressing table (linear probing, load <= 1/2, backward-shift deletion: Knuth vol. 3,
   * 6.4, Algorithm R) mapping key -> slot + 1. Indices are chars (unsigned 16 bit), hence
   * MAX_COUNTERS. Per counter: 4 (key ref) + 8 + 8 + 2 + 2 + 2 * 2 (table) = 28 bytes, against
   * ~80 for HashMap<String, Counter> with a heap of Counter objects, and no allocation on replace.
   */

  /** The largest supported number of counters. */
  public static final int MAX_COUNTERS = 1 << 15;

  private static final int INITIAL_CAPACITY = 16;
  private static final int GOLDEN = 0x9E3779B9;

  private final int maxCounters;

  private String[] keys;
  private long[] counts;
  private long[] errors;
  private char[] heap;
  private char[] heapPos;
  private char[] table;
  private int tableShift;
  private int tableMask;

  private int size;
  private long total;

  /**
   * @param m the number of counters, {@code 1 <= m <= MAX_COUNTERS}
   * @throws IllegalArgumentException if {@code m} is out of range
   */
  public HotKeySketch(int m) {
    if (m < 1 || m > MAX_COUNTERS) {
      throw new IllegalArgumentException("m must be in [1, " + MAX_COUNTERS + "], was " + m);
    }
    this.maxCounters = m;
    allocate(Math.min(m, INITIAL_CAPACITY));
  }

  /**
   * Adds {@code weight} occurrences of {@code key}.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if {@code weight < 1}
   */
  public void add(String key, long weight) {
    Objects.requireNonNull(key, "key");
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be positive, was " + weight);
    }
    total += weight;
    int hash = key.hashCode();
    for (int i = home(hash); table[i] != 0; i = (i + 1) & tableMask) {
      int slot = table[i] - 1;
      String k = keys[slot];
      if (k == key || k.equals(key)) {
        counts[slot] += weight;
        siftDown(heapPos[slot]);
        return;
      }
    }
    if (size < maxCounters) {
      if (size == keys.length) {
        allocate(Math.min(maxCounters, keys.length * 2));
      }
      int slot = size++;
      keys[slot] = key;
      counts[slot] = weight;
      errors[slot] = 0;
      tableInsert(slot, hash);
      heap[slot] = (char) slot;
      heapPos[slot] = (char) slot;
      siftUp(slot);
      return;
    }
    int slot = heap[0];
    long min = counts[slot];
    tableRemove(slot);
    keys[slot] = key;
    counts[slot] = min + weight;
    errors[slot] = min;
    tableInsert(slot, hash);
    siftDown(0);
  }

  /**
   * The {@code k} keys with the largest counts, sorted by count descending and then by key, so the
   * order is deterministic. Allocates the returned list (report time only).
   *
   * @throws IllegalArgumentException if {@code k < 0}
   */
  public List<HotKey> top(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0, was " + k);
    }
    int n = Math.min(k, size);
    if (n == 0) {
      return Collections.emptyList();
    }
    String[] topKeys = new String[n];
    long[] topCounts = new long[n];
    long[] topErrors = new long[n];
    n = topInto(topKeys, topCounts, topErrors);
    List<HotKey> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      result.add(new HotKey(topKeys[i], topCounts[i], topErrors[i]));
    }
    return Collections.unmodifiableList(result);
  }

  /**
   * Writes the top {@code min(outKeys.length, size())} entries, in {@link #top} order, into the
   * given arrays (same length) without allocating, and returns how many were written.
   */
  int topInto(String[] outKeys, long[] outCounts, long[] outErrors) {
    int limit = Math.min(outKeys.length, size);
    int n = 0;
    for (int slot = 0; slot < size && limit > 0; slot++) {
      String key = keys[slot];
      long count = counts[slot];
      if (n == limit) {
        if (!ranksBefore(count, key, outCounts[n - 1], outKeys[n - 1])) {
          continue;
        }
        n--; // the current last entry falls off
      }
      int p = n;
      while (p > 0 && ranksBefore(count, key, outCounts[p - 1], outKeys[p - 1])) {
        outKeys[p] = outKeys[p - 1];
        outCounts[p] = outCounts[p - 1];
        outErrors[p] = outErrors[p - 1];
        p--;
      }
      outKeys[p] = key;
      outCounts[p] = count;
      outErrors[p] = errors[slot];
      n++;
    }
    return n;
  }

  /** The sum of all weights added since construction or the last {@link #clear()}. */
  public long total() {
    return total;
  }

  /** The number of keys currently tracked, at most {@link #capacity()}. */
  public int size() {
    return size;
  }

  /** {@code m}, the maximum number of tracked keys. */
  public int capacity() {
    return maxCounters;
  }

  /**
   * Forgets all keys and the total. Keeps the counter arrays at their current size, so a sketch
   * reused per window does not reallocate.
   */
  public void clear() {
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(table, (char) 0);
    size = 0;
    total = 0;
  }

  /**
   * The tracked key with the largest guaranteed count ({@code count - error}; ties by count, then
   * key), or {@code null} when empty. O(m); allocates only the result.
   */
  HotKey mostProven() {
    int best = mostProven(keys, counts, errors, size);
    return best < 0 ? null : new HotKey(keys[best], counts[best], errors[best]);
  }

  /** The index in {@code [0, n)} of the entry {@link #mostProven()} would pick, or -1. */
  static int mostProven(String[] keys, long[] counts, long[] errors, int n) {
    int best = -1;
    long bestProven = 0;
    for (int i = 0; i < n; i++) {
      long proven = counts[i] - errors[i];
      if (best < 0 || proven > bestProven
          || (proven == bestProven && ranksBefore(counts[i], keys[i], counts[best], keys[best]))) {
        best = i;
        bestProven = proven;
      }
    }
    return best;
  }

  /** The count of the counter in slot {@code slot}, {@code 0 <= slot < size()}. */
  long countAt(int slot) {
    return counts[slot];
  }

  /** The error of the counter in slot {@code slot}, {@code 0 <= slot < size()}. */
  long errorAt(int slot) {
    return errors[slot];
  }

  private static boolean ranksBefore(long count, String key, long otherCount, String otherKey) {
    return count > otherCount || (count == otherCount && key.compareTo(otherKey) < 0);
  }

  private void allocate(int capacity) {
    keys = keys == null ? new String[capacity] : Arrays.copyOf(keys, capacity);
    counts = counts == null ? new long[capacity] : Arrays.copyOf(counts, capacity);
    errors = errors == null ? new long[capacity] : Arrays.copyOf(errors, capacity);
    heap = heap == null ? new char[capacity] : Arrays.copyOf(heap, capacity);
    heapPos = heapPos == null ? new char[capacity] : Arrays.copyOf(heapPos, capacity);
    // Load factor <= 1/2 keeps linear probing short; at least 4 entries.
    int bits = Math.max(2, 32 - Integer.numberOfLeadingZeros(2 * capacity - 1));
    table = new char[1 << bits];
    tableShift = 32 - bits;
    tableMask = (1 << bits) - 1;
    for (int slot = 0; slot < size; slot++) {
      tableInsert(slot, keys[slot].hashCode());
    }
  }

  private int home(int hash) {
    return (hash * GOLDEN) >>> tableShift;
  }

  private void tableInsert(int slot, int hash) {
    int i = home(hash);
    while (table[i] != 0) {
      i = (i + 1) & tableMask;
    }
    table[i] = (char) (slot + 1);
  }

  private void tableRemove(int slot) {
    int i = home(keys[slot].hashCode());
    while (table[i] != slot + 1) {
      i = (i + 1) & tableMask;
    }
    // Backward-shift deletion: pull later entries of the probe run into the hole when the hole
    // lies on their probe path, so lookups never need tombstones.
    for (int j = (i + 1) & tableMask; table[j] != 0; j = (j + 1) & tableMask) {
      int h = home(keys[table[j] - 1].hashCode());
      if (((j - h) & tableMask) >= ((j - i) & tableMask)) {
        table[i] = table[j];
        i = j;
      }
    }
    table[i] = 0;
  }

  private void siftUp(int pos) {
    int slot = heap[pos];
    long count = counts[slot];
    while (pos > 0) {
      int parent = (pos - 1) >>> 1;
      int parentSlot = heap[parent];
      if (counts[parentSlot] <= count) {
        break;
      }
      heap[pos] = (char) parentSlot;
      heapPos[parentSlot] = (char) pos;
      pos = parent;
    }
    heap[pos] = (char) slot;
    heapPos[slot] = (char) pos;
  }

  private void siftDown(int pos) {
    int slot = heap[pos];
    long count = counts[slot];
    int half = size >>> 1;
    while (pos < half) {
      int child = 2 * pos + 1;
      int childSlot = heap[child];
      int right = child + 1;
      if (right < size && counts[heap[right]] < counts[childSlot]) {
        child = right;
        childSlot = heap[right];
      }
      if (count <= counts[childSlot]) {
        break;
      }
      heap[pos] = (char) childSlot;
      heapPos[childSlot] = (char) pos;
      pos = child;
    }
    heap[pos] = (char) slot;
    heapPos[slot] = (char) pos;
  }
}

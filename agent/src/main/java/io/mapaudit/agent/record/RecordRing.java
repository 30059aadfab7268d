package io.mapaudit.agent.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A per-thread, single-producer single-consumer, lossy ring of sampled-operation records.
 *
 * <p>The owning application thread {@link #offer offers}; the drainer thread {@link #drain
 * drains}. A full ring drops the record and counts the drop: the producer never waits, never
 * locks and never allocates. Publication is by a release store of {@code tail} after the slot is
 * written, and the consumer's release store of {@code head} after it has cleared the slots it read
 * (the pattern of Caffeine's {@code BoundedBuffer} and HdrHistogram's {@code Recorder}).
 *
 * <p>Object slots are cleared on drain, so a ring holds at most its capacity of maps and keys, and
 * only until the next drain.
 *
 * <p>The consumer need not poll: the offer that leaves the ring half full (or fuller) calls its
 * {@link Wakeup}, so a sleeping drainer is woken before the ring can drop.
 */
public final class RecordRing {
  private static final VarHandle HEAD;
  private static final VarHandle TAIL;
  private static final VarHandle DROPPED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      HEAD = l.findVarHandle(RecordRing.class, "head", long.class);
      TAIL = l.findVarHandle(RecordRing.class, "tail", long.class);
      DROPPED = l.findVarHandle(RecordRing.class, "dropped", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Wakes the consumer; called on the producer's thread by an offer leaving the ring half full. */
  public interface Wakeup {
    void wake();
  }

  /* For a consumer that polls. A class, not a lambda: no invokedynamic linked on a sampled path. */
  private static final class NoWakeup implements Wakeup {
    @Override
    public void wake() {}
  }

  /** Receives drained records, on the drainer thread. */
  public interface Consumer {
    /**
     * One record. {@code weight} is 1 plus the records this ring dropped just before it: counts
     * weighted by it stay unbiased estimates when a full ring drops (HeatIT).
     */
    void accept(RecordRing ring, Object map, Object key, Object arg, Object site, int op,
        int flags, long nanos, int weight);
  }

  final Thread owner;
  final long threadId;
  final String threadName;
  private final int mask;
  /** Pending records at which an offer wakes the consumer: half the capacity. */
  private final int wakeAt;
  private final Wakeup wakeup;
  private final Object[] maps;
  private final Object[] keys;
  private final Object[] args;
  private final Object[] sites;
  private final int[] ops;
  private final int[] flags;
  private final long[] nanos;
  private final int[] weights;
  /** The owning thread's recorder, kept alive by the ring (threads hold it weakly). */
  Object recorder;
  /** Drops since the last record that fit; owner thread only. */
  private int pendingDrops;
  private volatile long head;
  /** The producer's last read of {@link #head} (producer only). */
  private long headCache;
  private volatile long tail;
  private volatile long dropped;

  /** A ring of {@code capacity} records (a power of two) owned by {@code owner}, never waking. */
  public RecordRing(Thread owner, int capacity) {
    this(owner, capacity, new NoWakeup());
  }

  /**
   * A ring of {@code capacity} records (a power of two) owned by {@code owner}, whose offers call
   * {@code wakeup} while half of it or more waits for the consumer.
   */
  public RecordRing(Thread owner, int capacity, Wakeup wakeup) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    this.owner = owner;
    this.threadId = owner.getId();
    this.threadName = owner.getName();
    this.mask = capacity - 1;
    this.wakeAt = Math.max(1, capacity >>> 1);
    this.wakeup = wakeup;
    this.maps = new Object[capacity];
    this.keys = new Object[capacity];
    this.args = new Object[capacity];
    this.sites = new Object[capacity];
    this.ops = new int[capacity];
    this.flags = new int[capacity];
    this.nanos = new long[capacity];
    this.weights = new int[capacity];
  }

  /**
   * Producer only. Returns false, and counts a drop, when the ring is full. {@code elapsedNanos}
   * is -1 for an operation that was not timed. Calls the {@link Wakeup} when, after this record,
   * half the ring or more waits for the consumer.
   */
  public boolean offer(Object map, Object key, Object arg, Object site, int op, int flag,
      long elapsedNanos) {
    long t = tail;
    // The consumer's head is read only when the cached copy says full: reading it on every
    // offer pulled its cache line from the drainer's core each time (BENCHMARKS.md, sampling=1).
    if (t - headCache > mask) {
      headCache = head;
      if (t - headCache > mask) {
        DROPPED.setRelease(this, dropped + 1);
        if (pendingDrops < Integer.MAX_VALUE - 1) {
          pendingDrops++;
        }
        return false;
      }
    }
    int i = (int) t & mask;
    maps[i] = map;
    keys[i] = key;
    args[i] = arg;
    sites[i] = site;
    ops[i] = op;
    flags[i] = flag;
    nanos[i] = elapsedNanos;
    weights[i] = 1 + pendingDrops;
    pendingDrops = 0;
    TAIL.setRelease(this, t + 1);
    if (t + 1 - headCache >= wakeAt) {
      // Half full by the cached head: read the real one (once per half ring while the consumer
      // keeps up), and wake the consumer if it is really that far behind.
      headCache = head;
      if (t + 1 - headCache >= wakeAt) {
        wakeup.wake();
      }
    }
    return true;
  }

  /** Consumer only. Hands every published record to {@code c}; returns how many. */
  public int drain(Consumer c) {
    long h = head;
    long t = tail;
    if (h == t) {
      return 0;
    }
    for (long s = h; s < t; s++) {
      int i = (int) s & mask;
      Object map = maps[i];
      Object key = keys[i];
      Object arg = args[i];
      Object site = sites[i];
      maps[i] = null;
      keys[i] = null;
      args[i] = null;
      sites[i] = null;
      c.accept(this, map, key, arg, site, ops[i], flags[i], nanos[i], weights[i]);
    }
    HEAD.setRelease(this, t);
    return (int) (t - h);
  }

  /** Consumer side: true while half the ring or more waits to be drained (an offer woke us). */
  boolean backlogged() {
    return tail - head >= wakeAt;
  }

  /** Records dropped because the ring was full. */
  public long dropped() {
    return dropped;
  }

  /** Records published and not yet drained. */
  public int pending() {
    return (int) (tail - head);
  }

  public long threadId() {
    return threadId;
  }

  public String threadName() {
    return threadName;
  }

  /** True once the owning thread has terminated (the drainer then retires the ring). */
  boolean ownerDead() {
    return !owner.isAlive();
  }
}

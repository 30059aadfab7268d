package io.mapaudit.bootstrap;

import java.util.ConcurrentModificationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The static entry points that advice inlined into the JDK maps calls. Boot-loaded, so that
 * {@code java.util.HashMap} can see it.
 *
 * <p>The unsampled path, in order: active switch → watch-slot check (a volatile read while none is
 * armed) → per-thread sampling draw; the reentrancy guard is checked on sampled operations and
 * armed watch slots only. It allocates nothing, takes no lock and hashes nothing. Only a sampled
 * operation (1 in {@link #samplingInterval()}, a random draw per operation from the thread's own
 * generator, so that periodic access patterns cannot alias with it) reaches the
 * {@link MapAccessSink}.
 *
 * <p>Nothing here throws: a throwable from the sink is counted in {@link AdviceErrors}. The advice
 * is additionally compiled with {@code suppress = Throwable.class}.
 */
public final class MapAccessDispatcher {
  private static volatile boolean active;
  private static volatile MapAccessSink sink = MapAccessSink.NOOP;
  private static volatile int samplingInterval = 1024;
  /*
   * Read on every operation, after the volatile read of active (so it is never hoisted above it,
   * and install() writes it before active): a plain field keeps the hot path at one volatile load.
   */
  private static int sampleAtMost = sampleAtMost(1024);
  /*
   * Latency is measured on 1 in max(N, TIMED_ONE_IN) sampled operations. TIMED_ONE_IN is 1: every
   * sampled operation is timed, so sampling=1 means every operation recorded *and* timed (the
   * duration histogram's count equals the operation count: OtelExportIT). The bench branch had
   * 64 here: System.nanoTime() (20-50 ns, two per timed operation) then dominated sampling=1's
   * cost; the knob stays for that trade-off.
   */
  private static final int TIMED_ONE_IN = 1;
  /** Token of a sampled operation that is not timed; its exit passes elapsed -1. */
  private static final long UNTIMED = Long.MIN_VALUE;
  private static int timeAtMost = timeAtMost(1024);

  /*
   * Test hook: when the JVM starts with -Dmapaudit.countEntries=true, every entry is counted, so a
   * forked test can prove that detach restored the original bytecode (DetachIT). The flag is a
   * static final read at class initialisation, so the JIT folds it away when off.
   */
  private static final boolean COUNT_ENTRIES = Boolean.getBoolean("mapaudit.countEntries");
  private static final AtomicLong ENTRIES = new AtomicLong();

  private MapAccessDispatcher() {}

  /** Enter advice of a map operation. Returns 0 unless the operation is sampled. */
  public static long enter(Object map, int op, Object key, Object arg) {
    if (COUNT_ENTRIES) {
      ENTRIES.incrementAndGet();
    }
    if (!active) {
      return 0L;
    }
    if (WatchSlots.ARMED.get() != 0) {
      watched(map, op, key);
    }
    int at = sampleAtMost;
    if (at != Integer.MAX_VALUE && ThreadLocalRandom.current().nextInt() > at) {
      return 0L;
    }
    return sampledEnter(map, op, key, arg);
  }

  /*
   * The sampling decision comes before the reentrancy guard (DESIGN §3 had guard → watch →
   * countdown): the guard is a ThreadLocal lookup, ~2-3 ns, and an unsampled operation does
   * nothing that the guard would have to prevent. The per-thread random comes from
   * ThreadLocalRandom, whose state lives in the Thread object (no lookup): one Bernoulli(1/N)
   * draw, as alias-free as the countdown it replaces. BENCHMARKS.md has the numbers.
   */
  private static void watched(Object map, int op, Object key) {
    ThreadState t = ReentrancyGuard.state();
    if (t.busy == 0) {
      WatchSlots.check(map, op, key, t, sink);
    }
  }

  /** Exit advice of a map operation; {@code token} is what {@link #enter} returned. */
  public static void exit(Object map, int op, Object key, Object arg, Object result,
      Throwable thrown, long token) {
    if (token == 0L) {
      return;
    }
    sampledExit(map, op, key, arg, result, thrown, token);
  }

  /** Exit advice of an iterator constructor: counted as one {@code iterator} operation. */
  public static void iteratorCreated(Object map) {
    long token = enter(map, MapOp.ITERATOR, null, null);
    if (token != 0L) {
      sampledExit(map, MapOp.ITERATOR, null, null, null, null, token);
    }
  }

  /** Exit advice of a map constructor. */
  public static void constructed(Object map) {
    if (COUNT_ENTRIES) {
      ENTRIES.incrementAndGet();
    }
    if (!active) {
      return;
    }
    int at = sampleAtMost;
    if (at != Integer.MAX_VALUE && ThreadLocalRandom.current().nextInt() > at) {
      return;
    }
    ThreadState t = ReentrancyGuard.state();
    if (t.busy > 0 || t.sampledMap != null) {
      return;
    }
    t.busy++;
    try {
      sink.onConstructed(map, t);
    } catch (Throwable e) {
      AdviceErrors.record(e);
    } finally {
      t.busy--;
    }
  }

  /**
   * Exit advice of {@code hasNext} on a {@code HashMap}/{@code LinkedHashMap} iterator. An ended
   * iteration ({@code hasNext == false}) whose expected modification count no longer matches the
   * map's proves a structural modification during the iteration, which the loop did not notice
   * (no {@code ConcurrentModificationException} is thrown when the removed key was the last).
   */
  public static void iteratorHasNextExit(Object map, Object iterator, int expectedModCount,
      boolean hasNext, long token) {
    if (token != 0L) {
      sampledExit(map, MapOp.ITERATOR_HAS_NEXT, null, null, null, null, token);
    }
    if (hasNext || !active || expectedModCount == ModCounts.read(map, expectedModCount)) {
      return;
    }
    modifiedDuringIteration(map, iterator, null);
  }

  /** Exit advice of {@code next} on a {@code HashMap}/{@code LinkedHashMap} iterator. */
  public static void iteratorNextExit(Object map, Object iterator, Throwable thrown, long token) {
    if (token != 0L) {
      sampledExit(map, MapOp.ITERATOR_NEXT, null, null, null, thrown, token);
    }
    if (thrown instanceof ConcurrentModificationException && active) {
      modifiedDuringIteration(map, iterator, thrown);
    }
  }

  private static void modifiedDuringIteration(Object map, Object iterator, Throwable thrown) {
    ThreadState t = ReentrancyGuard.state();
    if (t.busy > 0) {
      return;
    }
    t.busy++;
    try {
      sink.onModifiedDuringIteration(map, iterator, thrown, t);
    } catch (Throwable e) {
      AdviceErrors.record(e);
    } finally {
      t.busy--;
    }
  }

  private static long sampledEnter(Object map, int op, Object key, Object arg) {
    ThreadState t = ReentrancyGuard.state();
    if (t.busy > 0 || t.sampledMap != null) {
      return 0L;
    }
    t.busy++;
    long enterValue = 0L;
    try {
      enterValue = sink.onSampledEnter(map, op, key, arg, t);
    } catch (Throwable e) {
      AdviceErrors.record(e);
    } finally {
      t.busy--;
    }
    t.sampledMap = map;
    t.enterValue = enterValue;
    if (ThreadLocalRandom.current().nextInt() > timeAtMost) {
      return UNTIMED;
    }
    long now = System.nanoTime();
    return now == 0L || now == UNTIMED ? 1L : now;
  }

  private static void sampledExit(Object map, int op, Object key, Object arg, Object result,
      Throwable thrown, long token) {
    long elapsed = token == UNTIMED ? -1L : System.nanoTime() - token;
    ThreadState t = ReentrancyGuard.state();
    if (t.sampledMap != map) {
      return;
    }
    t.sampledMap = null;
    t.busy++;
    try {
      sink.onSampledExit(map, op, key, arg, result, thrown, elapsed, t.enterValue, t);
    } catch (Throwable e) {
      AdviceErrors.record(e);
    } finally {
      t.busy--;
    }
  }

  /** Of sampled operations, the share timed: all when interval >= 64, else 1 in 64/interval. */
  static int timeAtMost(int interval) {
    return interval >= TIMED_ONE_IN ? Integer.MAX_VALUE : sampleAtMost(TIMED_ONE_IN / interval);
  }

  /** The largest random int that samples: P(nextInt() <= it) = 1/interval (1: always). */
  static int sampleAtMost(int interval) {
    return (int) (Integer.MIN_VALUE + (1L << 32) / interval - 1);
  }

  /** Installs {@code newSink}, sets the sampling interval and turns auditing on or off. */
  public static void install(MapAccessSink newSink, int interval, boolean enabled) {
    samplingInterval = Math.max(1, interval);
    sampleAtMost = sampleAtMost(samplingInterval);
    timeAtMost = timeAtMost(samplingInterval);
    sink = newSink == null ? MapAccessSink.NOOP : newSink;
    active = enabled;
  }

  /** Turns auditing off and returns to the no-op sink (detach). Code still running is harmless. */
  public static void uninstall() {
    active = false;
    sink = MapAccessSink.NOOP;
    WatchSlots.disarmAll();
  }

  /** Turns auditing on or off without changing the sink. */
  public static void setActive(boolean enabled) {
    active = enabled;
  }

  /** True while auditing is on. */
  public static boolean isActive() {
    return active;
  }

  /** The installed sink ({@link MapAccessSink#NOOP} when none). */
  public static MapAccessSink sink() {
    return sink;
  }

  /** 1 in how many operations per thread are sampled. */
  public static int samplingInterval() {
    return samplingInterval;
  }

  /** Entries counted since start when {@code -Dmapaudit.countEntries=true}; else 0. */
  public static long entryCount() {
    return ENTRIES.get();
  }
}

package io.mapaudit.bootstrap;

import java.util.ConcurrentModificationException;
import java.util.concurrent.atomic.AtomicLong;
import jdk.internal.vm.annotation.DontInline;
import jdk.internal.vm.annotation.ForceInline;

/**
 * The static entry points that advice inlined into the JDK maps calls. Boot-loaded, so that
 * {@code java.util.HashMap} can see it.
 *
 * <p>Every operation first reads the {@link DispatchGate} word. The default sampler keeps the
 * sampling window open: the unsampled path is that read plus one Bernoulli(1/N) draw from the
 * thread's own random state ({@link SampleDraw}), which gives every operation the same chance and
 * so unbiased estimated counts. It allocates nothing, takes no lock and hashes nothing; the draw
 * costs ~1–2 ns on a 3.5 ns {@code HashMap.get} here (BENCHMARKS.md has the experiments).
 *
 * <p>The opt-in windowed sampler ({@link #useWindows}) removes the draw: a ticker on an agent
 * thread opens the window for short stretches at random times (duty cycle d) and inside a window
 * each operation is sampled with probability 1/(N·d). Outside windows, with no watchpoint armed,
 * the gate read is all an operation pays. The price: an operation inside a window runs slower
 * (the draw, the sampled work, watchpoint pauses), so a thread completes fewer operations there
 * than elsewhere and estimated counts come out low for tight map loops, while shares (hot keys)
 * stay right.
 *
 * <p>Everything past the inline checks is {@link DontInline}: C2 otherwise inlines the sampled
 * path into the instrumented method (its call count, 1 in 1024 of millions, passes the "hot"
 * threshold), which grew the compiled {@code HashMap.get} from 1.2 KB to 3.3 KB of machine code,
 * past {@code InlineSmallCode} (2,500), so no caller inlined {@code HashMap.get} any more. The
 * inline checks themselves are {@link ForceInline}: the advised methods' profiles restart at
 * retransformation, and C2 had judged call sites of {@code enter} and (then) the iterator's
 * {@code next} exit inside Jackson's map serialisation too cold to inline their 37–66 bytes, so
 * every map entry paid two real calls (seen with {@code -XX:+PrintInlining}). The VM honours both
 * annotations for boot-loaded classes, which these are.
 *
 * <p>For the same limit the advice makes as few out-of-line calls as it can: one from the enter
 * ({@link #slowEnter}, for a watched or a sampled operation) and one from the exit, which passes
 * only the token, the result and the throwable (a sampled call's map, operation, key and argument
 * wait in its {@link ThreadState}). With a second enter call and the exit passing all seven
 * values, C2 compiled the advised {@code HashMap.get} into 3,200 bytes of machine code, and callers
 * compiled after that stopped inlining it ("already compiled into a big method"). The reads of
 * the non-concurrent maps go further and have no exit at all ({@link #read}).
 *
 * <p>Nothing here throws: a throwable from the sink is counted in {@link AdviceErrors}. The advice
 * is additionally compiled with {@code suppress = Throwable.class}.
 */
public final class MapAccessDispatcher {
  /** With the windowed sampler, intervals at or below this still keep the window open. */
  public static final int WINDOWED_ABOVE = 16;
  private static volatile MapAccessSink sink = MapAccessSink.NOOP;
  private static volatile int samplingInterval = 1024;
  /*
   * Inside an open window, the largest random int that samples. A plain field: it is read after
   * the volatile gate read that saw the window open, and openWindow() writes it before the bit.
   */
  private static int windowAtMost = sampleAtMost(1.0 / 1024);

  /*
   * Test hook: when the JVM starts with -Dmapaudit.countEntries=true, every entry is counted, so a
   * forked test can prove that detach restored the original bytecode (DetachIT). The flag is a
   * static final read at class initialisation, so the JIT folds it away when off.
   */
  private static final boolean COUNT_ENTRIES = Boolean.getBoolean("mapaudit.countEntries");
  private static final AtomicLong ENTRIES = new AtomicLong();

  private MapAccessDispatcher() {}

  /** Enter advice of a map operation. Returns 0 unless the operation is sampled. */
  @ForceInline
  public static long enter(Object map, int op, Object key, Object arg) {
    int gate = gate();
    return mustCheckOrSampled(gate, op) ? slowEnter(map, op, key, arg, gate) : 0L;
  }

  /** The gate word, read first by every operation (and counted under the test hook). */
  @ForceInline
  private static int gate() {
    if (COUNT_ENTRIES) {
      ENTRIES.incrementAndGet();
    }
    return DispatchGate.WORD.get();
  }

  /*
   * The whole inline test of an operation. op is a constant at every advice site, so the write
   * tests fold: a read passes slots armed for writes only (key watches, armed much of the time on
   * a read-mostly concurrent map). The common word (on, window open, no slot) is tested first
   * with one compare (DispatchGate.drawsOnly); any other word is checked against the slots.
   * One out-of-line call for both outcomes: each call site adds machine code to every advised
   * method (see the class comment on InlineSmallCode).
   */
  @ForceInline
  private static boolean mustCheckOrSampled(int gate, int op) {
    if (DispatchGate.drawsOnly(gate, op)) {
      return drawSample();
    }
    return DispatchGate.mustCheck(gate, op);
  }

  /**
   * An operation that an armed watch slot must see (it then draws as any other), or one that
   * {@link #enter} already drew as sampled: the {@code ||} there means the draw ran only when no
   * slot needed a check.
   */
  @DontInline
  private static long slowEnter(Object map, int op, Object key, Object arg, int gate) {
    return checkedThenSampled(map, op, key, gate) ? sampledEnter(map, op, key, arg) : 0L;
  }

  /**
   * Enter advice of a read of a {@code HashMap} or {@code LinkedHashMap} ({@code get},
   * {@code getOrDefault}, {@code containsKey}), the one advice those methods have. The same
   * checks as {@link #enter}; a sampled read goes to the sink whole, before it runs
   * ({@link MapAccessSink#onSampledRead}). Without an exit the advised {@code HashMap.get} is 33
   * bytes of bytecode instead of 85, and its compiled code carries no result, throwable or token
   * across the lookup (BENCHMARKS.md, sixth pass).
   */
  @ForceInline
  public static void read(Object map, int op, Object key, Object arg) {
    int gate = gate();
    if (mustCheckOrSampled(gate, op)) {
      slowRead(map, op, key, arg, gate);
    }
  }

  @DontInline
  private static void slowRead(Object map, int op, Object key, Object arg, int gate) {
    if (checkedThenSampled(map, op, key, gate)) {
      sampledRead(map, op, key, arg);
    }
  }

  /**
   * The out-of-line half of the enter checks: runs the watch check when armed slots require it,
   * then says whether the operation is sampled (when no slot required a check, the inline draw
   * already said yes).
   */
  private static boolean checkedThenSampled(Object map, int op, Object key, int gate) {
    if (!DispatchGate.mustCheck(gate, op)) {
      return true;
    }
    return watchChecked(map, op, key, gate) && sampling(gate) && drawSample();
  }

  /** Checks the operation against the armed slots; false when auditing is off. */
  @DontInline
  private static boolean watchChecked(Object map, int op, Object key, int gate) {
    if ((gate & DispatchGate.ACTIVE) == 0) {
      return false; // auditing off while a late watcher still counts its slot
    }
    ThreadState t = ReentrancyGuard.state();
    if (t.busy == 0) {
      WatchSlots.check(map, op, key, t, sink);
    }
    return true;
  }

  /**
   * Enter advice of an operation that armed watch slots must see but that is never sampled on its
   * own: {@code next} of a {@code HashMap}/{@code LinkedHashMap} iterator, whose iteration was
   * sampled (or not) at the iterator's creation. With no slot armed, the gate read is all it costs.
   */
  @ForceInline
  public static void checked(Object map, int op) {
    int gate = gate();
    if (DispatchGate.mustCheck(gate, op)) {
      watchChecked(map, op, null, gate);
    }
  }

  @DontInline
  private static void sampledRead(Object map, int op, Object key, Object arg) {
    ThreadState t = ReentrancyGuard.state();
    if (t.busy > 0 || t.sampledMap != null) {
      return;
    }
    t.busy++;
    try {
      sink.onSampledRead(map, op, key, arg, t);
    } catch (Throwable e) {
      AdviceErrors.record(e);
    } finally {
      t.busy--;
    }
  }

  /** Auditing on and the sampling window open. */
  @ForceInline
  private static boolean sampling(int gate) {
    return (gate & (DispatchGate.ACTIVE | DispatchGate.WINDOW))
        == (DispatchGate.ACTIVE | DispatchGate.WINDOW);
  }

  /*
   * Inside a window: one Bernoulli draw from the thread's own random state (SampleDraw: the seed
   * word in the Thread object, no lookup), as alias-free as a random draw can be. The reentrancy
   * guard comes after it: an unsampled operation does nothing the guard would have to prevent.
   * At sampling=1 the threshold is Integer.MAX_VALUE and every draw samples; no separate test for
   * it, which would cost every other setting a compare and a branch per operation.
   */
  @ForceInline
  private static boolean drawSample() {
    return SampleDraw.draw(windowAtMost);
  }

  /**
   * Exit advice of a map operation; {@code token} is what {@link #enter} returned. The map,
   * operation, key and argument of a sampled call wait in the thread's state, so the advised
   * method keeps nothing alive across its body for the exit but the token.
   */
  @ForceInline
  public static void exit(Object result, Throwable thrown, long token) {
    if (token != 0L) {
      sampledExit(result, thrown, token);
    }
  }

  /** Exit advice of an iterator constructor: counted as one {@code iterator} operation. */
  @ForceInline
  public static void iteratorCreated(Object map) {
    exit(null, null, enter(map, MapOp.ITERATOR, null, null));
  }

  /** Exit advice of a map constructor. */
  @ForceInline
  public static void constructed(Object map) {
    if (sampling(gate()) && drawSample()) {
      sampledConstruction(map);
    }
  }

  @DontInline
  private static void sampledConstruction(Object map) {
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
  @ForceInline
  public static void iteratorHasNextExit(Object map, Object iterator, int expectedModCount,
      boolean hasNext) {
    if (!hasNext) {
      iterationEnded(map, iterator, expectedModCount);
    }
  }

  @DontInline
  private static void iterationEnded(Object map, Object iterator, int expectedModCount) {
    if (isActive() && expectedModCount != ModCounts.read(map, expectedModCount)) {
      modifiedDuringIteration(map, iterator, null);
    }
  }

  /**
   * Exit advice of {@code next} on a {@code HashMap}/{@code LinkedHashMap} iterator: a thrown
   * {@code ConcurrentModificationException} is a modification during iteration. On a normal return
   * {@code thrown} is the constant null, so the JIT folds the test away.
   */
  @ForceInline
  public static void iteratorNextExit(Object map, Object iterator, Throwable thrown) {
    if (thrown != null) {
      iteratorNextThrew(map, iterator, thrown);
    }
  }

  @DontInline
  private static void iteratorNextThrew(Object map, Object iterator, Throwable thrown) {
    if (thrown instanceof ConcurrentModificationException && isActive()) {
      modifiedDuringIteration(map, iterator, thrown);
    }
  }

  @DontInline
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

  @DontInline
  private static long sampledEnter(Object map, int op, Object key, Object arg) {
    ThreadState t = ReentrancyGuard.state();
    if (t.busy > 0 || t.sampledMap != null) {
      return 0L;
    }
    t.busy++;
    // Every sampled operation is timed: at sampling=1 the duration histogram's count equals the
    // operation count (OtelExportIT). The sink's watchpoint budget reuses this reading, and the
    // sink says when the body starts (later than now only if it paused). Its enter work when it
    // does not pause (a few loads and compares) thus falls inside the timed span: tens of ns of
    // bias against a second 28 ns clock read per sampled operation.
    long now = System.nanoTime();
    long start = now;
    try {
      start = sink.onSampledEnter(map, op, key, arg, now, t);
    } catch (Throwable e) {
      AdviceErrors.record(e);
    } finally {
      t.busy--;
    }
    t.sampledMap = map;
    t.sampledOp = op;
    t.sampledKey = key;
    t.sampledArg = arg;
    return start == 0L ? 1L : start; // 0 is the "not sampled" token
  }

  @DontInline
  private static void sampledExit(Object result, Throwable thrown, long token) {
    // At least 1 ns: the recorders read 0 as "not timed" (a coarse clock can tick 0 over a get).
    long now = System.nanoTime();
    long elapsed = Math.max(1L, now - token);
    ThreadState t = ReentrancyGuard.state();
    Object map = t.sampledMap;
    if (map == null) {
      return;
    }
    int op = t.sampledOp;
    Object key = t.sampledKey;
    Object arg = t.sampledArg;
    // Cleared before the sink runs: the thread's state must not keep the application's keys
    // alive, and nested operations in the sink are refused by busy, not by sampledMap.
    t.sampledMap = null;
    t.sampledKey = null;
    t.sampledArg = null;
    t.busy++;
    try {
      sink.onSampledExit(map, op, key, arg, result, thrown, elapsed, now, t);
    } catch (Throwable e) {
      AdviceErrors.record(e);
    } finally {
      t.busy--;
    }
  }

  /** The largest random int that samples: P(nextInt() <= it) = p (1 or more: always). */
  static int sampleAtMost(double p) {
    if (p >= 1.0) {
      return Integer.MAX_VALUE;
    }
    return (int) Math.max(Integer.MIN_VALUE, Integer.MIN_VALUE + Math.floor(p * 4294967296.0) - 1);
  }

  /**
   * Installs {@code newSink}, sets the sampling interval and turns auditing on or off, with the
   * default sampler: the window open, a 1/interval draw per operation.
   */
  public static void install(MapAccessSink newSink, int interval, boolean enabled) {
    samplingInterval = Math.max(1, interval);
    sink = newSink == null ? MapAccessSink.NOOP : newSink;
    windowAtMost = sampleAtMost(1.0 / samplingInterval);
    DispatchGate.set(DispatchGate.WINDOW, true);
    DispatchGate.set(DispatchGate.ACTIVE, enabled);
  }

  /**
   * Switches to the windowed sampler (after {@link #install}): the window closes until the
   * caller's ticker calls {@link #openWindow}. Only for {@link #windowed} intervals.
   */
  public static void useWindows() {
    DispatchGate.set(DispatchGate.WINDOW, false);
  }

  /** True when the windowed sampler applies to {@code interval}. */
  public static boolean windowed(int interval) {
    return interval > WINDOWED_ABOVE;
  }

  /**
   * Opens the sampling window: until {@link #closeWindow}, each operation is sampled with
   * probability {@code p}. Ticker thread only.
   */
  public static void openWindow(double p) {
    windowAtMost = sampleAtMost(p);
    DispatchGate.set(DispatchGate.WINDOW, true);
  }

  /** Closes the sampling window. Ticker thread only. */
  public static void closeWindow() {
    DispatchGate.set(DispatchGate.WINDOW, false);
  }

  /** Turns auditing off and returns to the no-op sink (detach). Code still running is harmless. */
  public static void uninstall() {
    DispatchGate.set(DispatchGate.ACTIVE | DispatchGate.WINDOW, false);
    sink = MapAccessSink.NOOP;
    WatchSlots.disarmAll();
  }

  /** Turns auditing on or off without changing the sink. */
  public static void setActive(boolean enabled) {
    DispatchGate.set(DispatchGate.ACTIVE, enabled);
  }

  /** True while auditing is on. */
  @ForceInline
  public static boolean isActive() {
    return (DispatchGate.WORD.get() & DispatchGate.ACTIVE) != 0;
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

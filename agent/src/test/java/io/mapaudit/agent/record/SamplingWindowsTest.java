package io.mapaudit.agent.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.mapaudit.bootstrap.DispatchGate;
import io.mapaudit.bootstrap.MapAccessDispatcher;
import io.mapaudit.bootstrap.MapAccessSink;
import io.mapaudit.bootstrap.MapOp;
import io.mapaudit.bootstrap.ThreadState;
import io.mapaudit.bootstrap.WatchSlot;
import io.mapaudit.bootstrap.WatchSlots;
import java.util.ConcurrentModificationException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's gate and the sampling windows, driven through the dispatcher's entry points
 * (no instrumentation): what the unsampled path sees, and that windowed sampling still samples
 * one operation in N over time.
 */
final class SamplingWindowsTest {
  private final CountingSink sink = new CountingSink();

  @AfterEach
  void uninstall() {
    MapAccessDispatcher.uninstall();
  }

  @Test
  void gate_defaultSampler_windowAlwaysOpen_drawsOneInN() {
    MapAccessDispatcher.install(sink, 64, true);
    assertThat(DispatchGate.word()).isEqualTo(DispatchGate.ACTIVE | DispatchGate.WINDOW);
    Object map = new Object();
    for (int i = 0; i < 64_000; i++) {
      exitOf(MapAccessDispatcher.enter(map, MapOp.GET, "k", null));
    }
    // Binomial(64,000, 1/64): mean 1,000, sd 31; the bounds are 8 sd out.
    assertThat(sink.sampled.get()).isBetween(750L, 1_250L);
  }

  @Test
  void gate_windowedInterval_isJustActiveUntilAWindowOpens() {
    MapAccessDispatcher.install(sink, 1024, true);
    MapAccessDispatcher.useWindows();
    assertThat(DispatchGate.word()).isEqualTo(DispatchGate.ACTIVE);
    Object map = new Object();
    for (int i = 0; i < 100_000; i++) {
      exitOf(MapAccessDispatcher.enter(map, MapOp.GET, "k", null));
    }
    assertThat(sink.sampled.get()).isZero();

    MapAccessDispatcher.openWindow(1.0);
    assertThat(DispatchGate.word()).isEqualTo(DispatchGate.ACTIVE | DispatchGate.WINDOW);
    exitOf(MapAccessDispatcher.enter(map, MapOp.GET, "k", null));
    assertThat(sink.sampled.get()).isEqualTo(1);
    MapAccessDispatcher.closeWindow();
    assertThat(DispatchGate.word()).isEqualTo(DispatchGate.ACTIVE);
  }

  @Test
  void gate_smallInterval_windowStaysOpen_everyOperationSampledAtOne() {
    MapAccessDispatcher.install(sink, 1, true);
    assertThat(DispatchGate.word()).isEqualTo(DispatchGate.ACTIVE | DispatchGate.WINDOW);
    Object map = new Object();
    for (int i = 0; i < 1_000; i++) {
      exitOf(MapAccessDispatcher.enter(map, MapOp.PUT, "k", "v"));
    }
    assertThat(sink.sampled.get()).isEqualTo(1_000);
  }

  @Test
  void exit_handsTheSinkWhatItsEnterSaw_nestedCallsAreNotRecorded() {
    MapAccessDispatcher.install(sink, 1, true);
    Object outer = new Object();
    Object inner = new Object();
    long token = MapAccessDispatcher.enter(outer, MapOp.PUT, "k", "v");
    assertThat(token).isNotZero();
    // An operation nested in a sampled one (a compute function, CHM.containsKey calling get).
    long nested = MapAccessDispatcher.enter(inner, MapOp.GET, "x", null);
    assertThat(nested).isZero();
    MapAccessDispatcher.exit("ignored", null, nested);
    assertThat(sink.exits.get()).isZero();

    MapAccessDispatcher.exit("old", null, token);
    assertThat(sink.exits.get()).isEqualTo(1);
    assertThat(sink.lastExit).containsExactly(outer, MapOp.PUT, "k", "v", "old", null);
    assertThat(sink.lastElapsed).isNotNegative();
    // The call is over: the thread samples again (its in-flight state was cleared).
    exitOf(MapAccessDispatcher.enter(inner, MapOp.GET, "x", null));
    assertThat(sink.exits.get()).isEqualTo(2);
    assertThat(sink.lastExit).containsExactly(inner, MapOp.GET, "x", null, null, null);
  }

  @Test
  void read_handsTheSinkTheWholeRead_butNotOneNestedInASampledCall() {
    MapAccessDispatcher.install(sink, 1, true);
    Object map = new Object();
    MapAccessDispatcher.read(map, MapOp.GET_OR_DEFAULT, "k", 0.0);
    assertThat(sink.reads.get()).isEqualTo(1);
    assertThat(sink.lastRead).containsExactly(map, MapOp.GET_OR_DEFAULT, "k", 0.0);
    assertThat(sink.sampled.get()).as("no enter callback for a read").isZero();
    assertThat(sink.exits.get()).as("nor an exit").isZero();

    long token = MapAccessDispatcher.enter(new Object(), MapOp.COMPUTE, "c", null);
    assertThat(token).isNotZero();
    MapAccessDispatcher.read(map, MapOp.GET, "inside a compute function", null);
    assertThat(sink.reads.get()).isEqualTo(1);
    exitOf(token);
    MapAccessDispatcher.read(map, MapOp.CONTAINS_KEY, "k", null);
    assertThat(sink.reads.get()).isEqualTo(2);
  }

  @Test
  void read_isCheckedAgainstAnAllOpsSlot_evenWhenNotSampled() {
    MapAccessDispatcher.install(sink, 1024, true);
    MapAccessDispatcher.useWindows(); // the window closed: nothing is sampled
    Object map = new Object();
    WatchSlot slot = WatchSlots.slot(0);
    long ticket = armAllOpsWatch(slot, map);
    try {
      MapAccessDispatcher.read(map, MapOp.GET, "k", null);
      assertThat(sink.watchHits.get()).isEqualTo(1);
      assertThat(sink.reads.get()).isZero();
    } finally {
      assertThat(slot.disarm(ticket)).isTrue();
    }
  }

  @Test
  void iteratorNext_isCheckedAgainstAnAllOpsSlot_butNeverSampled_evenAtOne() {
    MapAccessDispatcher.install(sink, 1, true); // every sampled operation would be sampled
    Object map = new Object();
    for (int i = 0; i < 100; i++) {
      MapAccessDispatcher.checked(map, MapOp.ITERATOR_NEXT);
      MapAccessDispatcher.iteratorNextExit(map, null, null);
    }
    assertThat(sink.sampled.get()).isZero();
    assertThat(sink.watchHits.get()).isZero();
    WatchSlot slot = WatchSlots.slot(0);
    long ticket = armAllOpsWatch(slot, map);
    try {
      MapAccessDispatcher.checked(map, MapOp.ITERATOR_NEXT);
      assertThat(sink.watchHits.get()).as("an iteration overlapping a watched write").isEqualTo(1);
      MapAccessDispatcher.checked(new Object(), MapOp.ITERATOR_NEXT);
      assertThat(sink.watchHits.get()).as("another map's iteration").isEqualTo(1);
    } finally {
      assertThat(slot.disarm(ticket)).isTrue();
    }
    MapAccessDispatcher.iteratorNextExit(map, "iterator", new ConcurrentModificationException());
    MapAccessDispatcher.iteratorNextExit(map, "iterator", new IllegalStateException());
    assertThat(sink.modifiedDuringIteration.get()).as("only a CME is one").isEqualTo(1);
    assertThat(sink.sampled.get()).isZero();
  }

  @Test
  void writesOnlySlot_readsPassByIt_writesAreChecked() {
    MapAccessDispatcher.install(sink, 1024, true);
    MapAccessDispatcher.useWindows();
    Object map = new Object();
    WatchSlot slot = WatchSlots.slot(0);
    long ticket = slot.tryClaim(System.nanoTime());
    assertThat(ticket).isNotZero();
    slot.arm(ticket, map, "k", new Thread(() -> { }), MapOp.GET, 2, true, null,
        System.nanoTime() + 1_000_000_000L);
    try {
      assertThat(WatchSlots.armed()).isEqualTo(1);
      MapAccessDispatcher.enter(map, MapOp.GET, "k", null);
      MapAccessDispatcher.enter(map, MapOp.CONTAINS_KEY, "k", null);
      assertThat(sink.watchHits.get()).isZero();
      MapAccessDispatcher.enter(map, MapOp.PUT, "k", "v");
      assertThat(sink.watchHits.get()).isEqualTo(1);
    } finally {
      assertThat(slot.disarm(ticket)).isTrue();
    }
    assertThat(WatchSlots.armed()).isZero();
    assertThat(DispatchGate.word()).isEqualTo(DispatchGate.ACTIVE);
    assertThat(sink.sampled.get()).isZero();
  }

  @Test
  void allOpsSlot_readsAreChecked() {
    MapAccessDispatcher.install(sink, 1024, true);
    MapAccessDispatcher.useWindows();
    Object map = new Object();
    WatchSlot slot = WatchSlots.slot(1);
    long ticket = armAllOpsWatch(slot, map);
    try {
      MapAccessDispatcher.enter(map, MapOp.GET, "k", null);
      assertThat(sink.watchHits.get()).isEqualTo(1);
    } finally {
      slot.disarm(ticket);
    }
  }

  /*
   * The windowed sampler's contract, measured on the operations that ran inside a window: each
   * is sampled with probability 1/(N·d), d being the measured duty cycle, so that over time every
   * operation has probability 1/N when the thread runs at the same rate inside and outside
   * windows. (This loop does not: its sampled operations are far slower than its unsampled ones,
   * the bias the dispatcher's javadoc describes, so counting all operations would not test the
   * contract.) Over ~150 windows the ratio is 1 within a few per cent; the bound is ±30 %, and a
   * starved machine gets up to 3 attempts.
   */
  @Test
  void windows_inWindowProbabilityTimesDutyIsOneInN() {
    int interval = 256;
    double ratio = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
      ratio = inWindowRatio(interval);
      if (ratio > 0.7 && ratio < 1.3) {
        break;
      }
    }
    assertThat(ratio).isBetween(0.7, 1.3);
  }

  private double inWindowRatio(int interval) {
    sink.sampled.set(0);
    MapAccessDispatcher.install(sink, interval, true);
    MapAccessDispatcher.useWindows();
    SamplingWindows windows = new SamplingWindows(interval);
    Object map = new Object();
    long inWindow = 0;
    long all = 0;
    windows.start();
    try {
      long end = System.nanoTime() + 1_500_000_000L;
      while (System.nanoTime() - end < 0) {
        for (int i = 0; i < 1_000; i++) {
          boolean open = (DispatchGate.word() & DispatchGate.WINDOW) != 0;
          exitOf(MapAccessDispatcher.enter(map, MapOp.GET, "k", null));
          if (open) {
            inWindow++;
          }
        }
        all += 1_000;
      }
    } finally {
      windows.stop(1_000L);
    }
    assertThat(DispatchGate.word() & DispatchGate.WINDOW).isZero();
    double target = SamplingWindows.IN_WINDOW_INTERVAL / interval;
    assertThat(windows.duty()).isBetween(target / 2, Math.min(1.0, target * 4));
    assertThat(inWindow).isPositive().isLessThan(all);
    return sink.sampled.get() * interval * windows.duty() / inWindow;
  }

  /** Arms {@code slot} as another thread's whole-map watch of {@code map} (a put), for 1 s. */
  private static long armAllOpsWatch(WatchSlot slot, Object map) {
    long ticket = slot.tryClaim(System.nanoTime());
    assertThat(ticket).isNotZero();
    slot.arm(ticket, map, null, new Thread(() -> { }), MapOp.PUT, 1, false, null,
        System.nanoTime() + 1_000_000_000L);
    return ticket;
  }

  private static void exitOf(long token) {
    MapAccessDispatcher.exit(null, null, token);
  }

  private static final class CountingSink implements MapAccessSink {
    final AtomicLong sampled = new AtomicLong();
    final AtomicLong watchHits = new AtomicLong();
    final AtomicLong exits = new AtomicLong();
    final AtomicLong reads = new AtomicLong();
    final AtomicLong modifiedDuringIteration = new AtomicLong();
    volatile Object[] lastRead;
    volatile Object[] lastExit;
    volatile long lastElapsed;

    @Override
    public long onSampledEnter(Object map, int op, Object key, Object arg, long now,
        ThreadState state) {
      sampled.incrementAndGet();
      return now;
    }

    @Override
    public void onSampledExit(Object map, int op, Object key, Object arg, Object result,
        Throwable thrown, long elapsedNanos, long now, ThreadState state) {
      lastExit = new Object[] {map, op, key, arg, result, thrown};
      lastElapsed = elapsedNanos;
      exits.incrementAndGet();
    }

    @Override
    public void onSampledRead(Object map, int op, Object key, Object arg, ThreadState state) {
      lastRead = new Object[] {map, op, key, arg};
      reads.incrementAndGet();
    }

    @Override
    public void onWatchHit(WatchSlot slot, Object map, int op, Object key, ThreadState state) {
      watchHits.incrementAndGet();
    }

    @Override
    public void onConstructed(Object map, ThreadState state) {}

    @Override
    public void onModifiedDuringIteration(Object map, Object iterator, Throwable thrown,
        ThreadState state) {
      modifiedDuringIteration.incrementAndGet();
    }
  }
}

package io.mapaudit.agent.record;

import io.mapaudit.bootstrap.MapAccessSink;
import io.mapaudit.bootstrap.MapOp;
import io.mapaudit.bootstrap.ThreadState;
import io.mapaudit.bootstrap.WatchSlot;
import java.lang.ref.WeakReference;
import java.util.Map;

/**
 * The agent's {@link MapAccessSink}: turns sampled operations into ring records for the drainer,
 * and hands detector events to the {@link SinkHooks} of the session.
 *
 * <p>Runs on application threads inside the reentrancy guard. Per sampled operation it does a
 * thread-local lookup, a few compares and one ring write; a stack walk (1–2 µs) only on a thread's
 * first sighting of a map, on confirmed misses and on sampled constructions, rate-limited per
 * thread. User {@code hashCode}/{@code equals} are never called: a miss is confirmed with
 * {@code containsKey} only for {@link SafeKeys safe} key types, and on concurrent maps a null
 * {@code get} is a miss by itself (they hold no null values).
 */
public final class RecordingSink implements MapAccessSink {
  /** Session hooks for detectors; the default does nothing. */
  public interface SinkHooks {
    SinkHooks NONE = new SinkHooks() {};

    /**
     * Before a sampled operation runs; {@code now} is a fresh {@code System.nanoTime()}. Returns
     * when the operation's own body starts: {@code now}, or a later reading if the hook paused.
     */
    default long onSampledEnter(Object map, int op, Object key, long now, ThreadState state) {
      return now;
    }

    /**
     * After a sampled operation that returned normally; {@code site} is the caller's frame when
     * the sink already walked it for this operation (a miss), else null; {@code now} is a
     * {@code System.nanoTime()} reading taken after the operation (and after that walk).
     */
    default void onSampledExit(Object map, int op, Object key, Object arg, Object result,
        StackTraceElement site, long now, ThreadState state) {}

    default void onWatchHit(WatchSlot slot, Object map, int op, Object key, ThreadState state) {}

    default void onModifiedDuringIteration(Object map, Object iterator, Throwable thrown) {}
  }

  /**
   * Captures the application's current trace context on the thread where a finding happens, so
   * that the exported finding can be a child of the request that hit it. Called only for
   * findings and sampled misses, never per operation; returns null when there is none.
   */
  public interface TraceContextCapture {
    TraceContextCapture NONE = () -> null;

    Object capture();
  }

  /** A miss's site together with the trace context captured on the application thread. */
  public static final class SiteAndContext {
    public final StackTraceElement site;
    public final Object traceContext;

    SiteAndContext(StackTraceElement site, Object traceContext) {
      this.site = site;
      this.traceContext = traceContext;
    }
  }

  /** Receives each new per-thread ring, so the drainer can start draining it. */
  public interface RingRegistry extends RecordRing.Wakeup {
    void register(RecordRing ring);

    /** Called by a ring's producer when the ring is half full; a registry that polls ignores it. */
    @Override
    default void wake() {}
  }

  private static final int SEEN_SLOTS = 256;
  /*
   * Stack walks (1-5 us each) name maps and findings. Their budget is time, not a count: at most
   * SITE_SHARE of the thread's wall time, with a burst of SITE_BURST_NANOS. A count per second
   * starved start-up bursts: another agent's premain made ~4,900 maps on main in under a second,
   * and the application's own map that followed never got a site, so it never reached the report
   * (CoexistenceIT). Walks run cold then (interpreted, up to ~1 ms each), so a thread starts with
   * a one-time allowance of 200 ms; after that the bucket holds at most 50 ms, refilled at 1 %.
   */
  private static final double SITE_SHARE = 0.01;
  private static final long SITE_BURST_NANOS = 50_000_000L;
  private static final long SITE_START_NANOS = 200_000_000L;

  private final int epoch;
  private final int ringSize;
  private final RingRegistry registry;
  private volatile SinkHooks hooks = SinkHooks.NONE;
  private volatile TraceContextCapture traceContexts = TraceContextCapture.NONE;

  public RecordingSink(int epoch, int ringSize, RingRegistry registry) {
    this.epoch = epoch;
    this.ringSize = ringSize;
    this.registry = registry;
  }

  /** Installs the detectors' hooks. */
  public void setHooks(SinkHooks h) {
    hooks = h == null ? SinkHooks.NONE : h;
  }

  /** Installs the trace-context capture of the OpenTelemetry export. */
  public void setTraceContextCapture(TraceContextCapture c) {
    traceContexts = c == null ? TraceContextCapture.NONE : c;
  }

  /** The current application trace context, or null (guarded: never throws). */
  public Object captureTraceContext() {
    try {
      return traceContexts.capture();
    } catch (Throwable e) {
      return null;
    }
  }

  /** Per-thread recording state, stored in the thread's {@link ThreadState#sinkData}. */
  static final class ThreadRecorder {
    final RecordRing ring;
    /** Identity hashes of maps this thread already reported a site for (direct-mapped). */
    final int[] seen = new int[SEEN_SLOTS];
    final TimeBudget sites =
        new TimeBudget(SITE_SHARE, SITE_BURST_NANOS, SITE_START_NANOS, System.nanoTime());

    ThreadRecorder(RecordRing ring) {
      this.ring = ring;
    }
  }

  /**
   * The thread's recorder, created on its first sampled operation; null for threads that must
   * never be recorded, which are then marked as agent threads for good.
   */
  ThreadRecorder recorder(ThreadState s) {
    Object d = s.sinkData;
    if (d != null && s.sinkEpoch == epoch) {
      ThreadRecorder r = (ThreadRecorder) ((WeakReference<?>) d).get();
      if (r != null) {
        return r;
      }
    }
    if (neverRecorded(Thread.currentThread())) {
      s.enterAgent();
      return null;
    }
    ThreadRecorder r =
        new ThreadRecorder(new RecordRing(Thread.currentThread(), ringSize, registry));
    // The thread holds its recorder weakly, the drainer's ring list strongly: once a session is
    // detached and dropped, its rings go with it instead of staying on every thread that ever
    // sampled (AttachCyclesIT).
    r.ring.recorder = r;
    s.sinkData = new WeakReference<>(r);
    s.sinkEpoch = epoch;
    registry.register(r.ring);
    return r;
  }

  /*
   * The JVM's attach thread runs only attach operations, including loading this agent for each
   * CLI command before agentmain can enter the guard; its class loading must not show up as
   * application map use (RecursionIT).
   */
  private static boolean neverRecorded(Thread t) {
    return t.isDaemon() && "Attach Listener".equals(t.getName());
  }

  /** True when the thread's stack-walk budget has time left. */
  private static boolean hasSiteBudget(ThreadRecorder r) {
    return r.sites.tryTake(System.nanoTime(), 0L);
  }

  /** The calling site, its walk charged to the thread's budget. */
  private static StackTraceElement walkSite(ThreadRecorder r) {
    long start = System.nanoTime();
    StackTraceElement site = Sites.callerFrame();
    r.sites.settle(0L, System.nanoTime() - start);
    return site;
  }

  @Override
  public long onSampledEnter(Object map, int op, Object key, Object arg, long now,
      ThreadState state) {
    return hooks.onSampledEnter(map, op, key, now, state);
  }

  @Override
  public void onSampledExit(Object map, int op, Object key, Object arg, Object result,
      Throwable thrown, long elapsedNanos, long now, ThreadState state) {
    ThreadRecorder r = recorder(state);
    if (r == null) {
      return;
    }
    int flags = 0;
    Object site = null;
    StackTraceElement frame = null;
    if (thrown != null) {
      flags |= RecordFlags.THREW;
    } else {
      if (isMiss(map, op, key, arg, result)) {
        flags |= RecordFlags.CONFIRMED_MISS;
        frame = hasSiteBudget(r) ? walkSite(r) : null;
        site = missSite(frame);
      }
      // After the miss walk, so that a key watch armed here reuses its frame.
      // A walk (1-2 us) makes the exit's clock reading stale; otherwise it is reused.
      long hookNow = frame != null ? System.nanoTime() : now;
      hooks.onSampledExit(map, op, key, arg, result, frame, hookNow, state);
    }
    if (MapOp.isWrite(op) && Thread.holdsLock(map)) {
      flags |= RecordFlags.HOLDS_MONITOR;
    }
    record(r, map, op, key, arg, flags, site, elapsedNanos);
  }

  /**
   * A sampled {@code HashMap}/{@code LinkedHashMap} read, before it runs (those reads have no exit
   * advice). For a key whose {@code hashCode}/{@code equals} are the JDK's own ({@link SafeKeys}),
   * one {@code containsKey} here tells a miss and times the lookup; any other key's read is
   * recorded untimed and never as a miss, as the exit did (it could not confirm absence without
   * running the application's {@code equals} either). The detectors see the read as they saw its
   * enter; their exit hook only ever acted on concurrent maps.
   */
  @Override
  public void onSampledRead(Object map, int op, Object key, Object arg, ThreadState state) {
    // One clock reading serves the hooks' pause budget and the start of the timed lookup; what
    // runs between (recorder lookup, key check) is a few loads once the thread has its ring.
    long start = hooks.onSampledEnter(map, op, key, System.nanoTime(), state);
    ThreadRecorder r = recorder(state);
    if (r == null) {
      return;
    }
    long elapsedNanos = 0L; // unknown: not a 0 ns lookup
    int flags = 0;
    Object site = null;
    if (SafeKeys.isSafe(key)) {
      boolean present = ((Map<?, ?>) map).containsKey(key);
      elapsedNanos = Math.max(1L, System.nanoTime() - start);
      if (!present && (op == MapOp.GET || op == MapOp.GET_OR_DEFAULT)) {
        flags |= RecordFlags.CONFIRMED_MISS;
        site = missSite(hasSiteBudget(r) ? walkSite(r) : null);
      }
    }
    record(r, map, op, key, arg, flags, site, elapsedNanos);
  }

  /**
   * A miss's site: its frame with the application's trace context, or the bare frame for a miss
   * of the JDK or the agent (class loading, the agent's own start), which does not become a
   * finding and must not reach into the application's tracing API.
   */
  private Object missSite(StackTraceElement frame) {
    Object ctx = frame != null && Sites.internal(frame.getClassName()) ? null
        : captureTraceContext();
    return ctx == null ? frame : new SiteAndContext(frame, ctx);
  }

  /** Offers the record, naming the map by a stack walk the first time this thread sees it. */
  private void record(ThreadRecorder r, Object map, int op, Object key, Object arg, int flags,
      Object site, long elapsedNanos) {
    int id = System.identityHashCode(map);
    int slot = id & (SEEN_SLOTS - 1);
    if (r.seen[slot] != id && hasSiteBudget(r)) {
      r.seen[slot] = id;
      flags |= RecordFlags.FIRST_SIGHTING;
      if (site == null) {
        site = walkSite(r);
      }
    }
    if (!r.ring.offer(map, MapOp.hasKey(op) ? key : null, op == MapOp.GET_OR_DEFAULT ? arg : null,
        site, op, flags, elapsedNanos)) {
      forgetIfNamed(r, flags, slot);
    }
  }

  /*
   * A dropped record (ring full) that carried a map's first sighting must not leave the map marked
   * as named on this thread: it would never be walked again and never get a site, so it would be
   * missing from the report (seen at sampling=1, where the drainer falls behind).
   */
  private static void forgetIfNamed(ThreadRecorder r, int flags, int slot) {
    if ((flags & RecordFlags.FIRST_SIGHTING) != 0) {
      r.seen[slot] = 0;
    }
  }

  /**
   * A read that returned nothing because the key is absent (not a present null or default). Only
   * {@code ConcurrentHashMap}'s reads reach here with a result; the other maps' reads have no exit
   * and are judged in {@link #onSampledRead}, by the same {@code containsKey} rule.
   */
  private static boolean isMiss(Object map, int op, Object key, Object arg, Object result) {
    boolean candidate = (op == MapOp.GET && result == null)
        || (op == MapOp.GET_OR_DEFAULT && result == arg);
    if (!candidate) {
      return false;
    }
    if (op == MapOp.GET && MapKinds.threadSafe(map)) {
      return true;
    }
    // Confirm absence; safe key types only, so no user hashCode/equals runs here.
    return SafeKeys.isSafe(key) && !((Map<?, ?>) map).containsKey(key);
  }

  @Override
  public void onWatchHit(WatchSlot slot, Object map, int op, Object key, ThreadState state) {
    hooks.onWatchHit(slot, map, op, key, state);
  }

  @Override
  public void onConstructed(Object map, ThreadState state) {
    ThreadRecorder r = recorder(state);
    if (r == null || !hasSiteBudget(r)) {
      return;
    }
    StackTraceElement site = walkSite(r);
    int id = System.identityHashCode(map);
    int slot = id & (SEEN_SLOTS - 1);
    r.seen[slot] = id;
    int flags = RecordFlags.ALLOCATION | RecordFlags.FIRST_SIGHTING;
    if (!r.ring.offer(map, null, null, site, MapOp.CONSTRUCT, flags, 0L)) {
      forgetIfNamed(r, flags, slot);
    }
  }

  @Override
  public void onModifiedDuringIteration(Object map, Object iterator, Throwable thrown,
      ThreadState state) {
    hooks.onModifiedDuringIteration(map, iterator, thrown);
  }
}

package io.mapaudit.agent.record;

import io.mapaudit.bootstrap.MapAccessSink;
import io.mapaudit.bootstrap.MapOp;
import io.mapaudit.bootstrap.ThreadState;
import io.mapaudit.bootstrap.WatchSlot;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

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

    default long onSampledEnter(Object map, int op, Object key, ThreadState state) {
      return 0L;
    }

    default void onSampledExit(Object map, int op, Object key, Object arg, Object result,
        long enterValue, ThreadState state) {}

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
  public interface RingRegistry {
    void register(RecordRing ring);
  }

  private static final int SEEN_SLOTS = 256;
  private static final long SITE_WINDOW_NANOS = 1_000_000_000L;

  private final int epoch;
  private final int ringSize;
  private final int siteCapturesPerSecond;
  private final RingRegistry registry;
  private volatile SinkHooks hooks = SinkHooks.NONE;
  private volatile TraceContextCapture traceContexts = TraceContextCapture.NONE;

  public RecordingSink(int epoch, int ringSize, int siteCapturesPerSecond, RingRegistry registry) {
    this.epoch = epoch;
    this.ringSize = ringSize;
    this.siteCapturesPerSecond = siteCapturesPerSecond;
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
    long siteWindowStart;
    int sitesInWindow;

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
      return (ThreadRecorder) d;
    }
    if (neverRecorded(Thread.currentThread())) {
      s.enterAgent();
      return null;
    }
    ThreadRecorder r = new ThreadRecorder(new RecordRing(Thread.currentThread(), ringSize));
    s.sinkData = r;
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

  /** Rate limit of stack walks per thread: a token window of one second. */
  private boolean maySite(ThreadRecorder r) {
    long now = System.nanoTime();
    if (now - r.siteWindowStart > SITE_WINDOW_NANOS) {
      r.siteWindowStart = now;
      r.sitesInWindow = 0;
    }
    return r.sitesInWindow++ < siteCapturesPerSecond;
  }

  @Override
  public long onSampledEnter(Object map, int op, Object key, Object arg, ThreadState state) {
    return hooks.onSampledEnter(map, op, key, state);
  }

  @Override
  public void onSampledExit(Object map, int op, Object key, Object arg, Object result,
      Throwable thrown, long elapsedNanos, long enterValue, ThreadState state) {
    ThreadRecorder r = recorder(state);
    if (r == null) {
      return;
    }
    int flags = 0;
    Object site = null;
    if (thrown != null) {
      flags |= RecordFlags.THREW;
    } else {
      hooks.onSampledExit(map, op, key, arg, result, enterValue, state);
      if (isMiss(map, op, key, arg, result)) {
        flags |= RecordFlags.CONFIRMED_MISS;
        StackTraceElement frame = maySite(r) ? Sites.callerFrame() : null;
        // JDK and agent misses (class loading, the agent's own start) do not become findings
        // and must not reach into the application's tracing API.
        Object ctx = frame != null && Sites.internal(frame.getClassName()) ? null
            : captureTraceContext();
        site = ctx == null ? frame : new SiteAndContext(frame, ctx);
      }
    }
    if (MapOp.isWrite(op) && Thread.holdsLock(map)) {
      flags |= RecordFlags.HOLDS_MONITOR;
    }
    int id = System.identityHashCode(map);
    int slot = id & (SEEN_SLOTS - 1);
    if (r.seen[slot] != id && maySite(r)) {
      r.seen[slot] = id;
      flags |= RecordFlags.FIRST_SIGHTING;
      if (site == null) {
        site = Sites.callerFrame();
      }
    }
    r.ring.offer(map, MapOp.hasKey(op) ? key : null, op == MapOp.GET_OR_DEFAULT ? arg : null,
        site, op, flags, elapsedNanos);
  }

  /** A read that returned nothing because the key is absent (not a present null or default). */
  private static boolean isMiss(Object map, int op, Object key, Object arg, Object result) {
    boolean candidate = (op == MapOp.GET && result == null)
        || (op == MapOp.GET_OR_DEFAULT && result == arg);
    if (!candidate) {
      return false;
    }
    if (op == MapOp.GET && map instanceof ConcurrentMap) {
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
    if (r == null || !maySite(r)) {
      return;
    }
    StackTraceElement site = Sites.callerFrame();
    int id = System.identityHashCode(map);
    r.seen[id & (SEEN_SLOTS - 1)] = id;
    r.ring.offer(map, null, null, site, MapOp.CONSTRUCT,
        RecordFlags.ALLOCATION | RecordFlags.FIRST_SIGHTING, 0L);
  }

  @Override
  public void onModifiedDuringIteration(Object map, Object iterator, Throwable thrown,
      ThreadState state) {
    hooks.onModifiedDuringIteration(map, iterator, thrown);
  }
}

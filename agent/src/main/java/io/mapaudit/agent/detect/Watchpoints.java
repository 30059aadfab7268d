package io.mapaudit.agent.detect;

import io.mapaudit.agent.record.MapKinds;
import io.mapaudit.agent.record.RecordingSink;
import io.mapaudit.agent.record.SafeKeys;
import io.mapaudit.agent.record.Sites;
import io.mapaudit.agent.record.TimeBudget;
import io.mapaudit.bootstrap.MapOp;
import io.mapaudit.bootstrap.ThreadState;
import io.mapaudit.bootstrap.WatchSlot;
import io.mapaudit.bootstrap.WatchSlots;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The detectors that run on application threads: watchpoints that prove two threads were inside
 * the same map at once, key watches that prove a lost update on a concurrent map, and the
 * modification-during-iteration check.
 *
 * <p>All of it runs inside the reentrancy guard, on sampled operations (arming) or on the rare
 * operation that meets an armed slot (intrusion). The only blocking is the watcher's own pause,
 * bounded by {@code watchNanos} and by each thread's {@link TimeBudget}.
 */
public final class Watchpoints implements RecordingSink.SinkHooks {
  /*
   * Design notes. A DataCollider-style watchpoint (Erickson et al., OSDI 2010): a sampled
   * operation on a non-thread-safe map arms a slot with the map and pauses inside the map method.
   * Another thread entering any instrumented method of that map meanwhile is inside it at the same
   * time: no lock excludes the two, whatever the code looks like. A lock held around the map keeps
   * the intruder outside the method, so guarded maps are never reported (precision rule, §4).
   * Read/read overlaps are not findings, except on an access-ordered LinkedHashMap where get
   * reorders entries (MapKinds.writes).
   *
   * Key watches: a sampled get/containsKey of k on a concurrent map by T arms (map, k, T) until T
   * writes k or the watch expires. Another thread's write of k in between is recorded; T's next
   * plain put/remove of k then lost that write (LOST_UPDATE if T's read saw a value,
   * CHECK_THEN_ACT if it saw absence). Atomic operations (putIfAbsent, compute*, merge,
   * conditional remove/replace) end the watch without a finding.
   */
  static final int MODE_MAP = 1;
  static final int MODE_KEY = 2;
  /** How long a key watch waits for the reader's write. */
  static final long KEY_WATCH_NANOS = 20_000_000L;
  /** 1 in this many sampled operations arms a watch on a map not (yet) known to be shared. */
  static final int BASE_RATE = 64;
  private static final long PARK_SLICE_NANOS = 50_000L;
  private static final int ITERATION_STACKS_PER_SECOND = 20;
  private static final int ITERATION_SITES_PER_SECOND = 2_000;

  private final FindingStore findings;
  private final SharedMapsHint shared;
  private final RecordingSink sink;
  private final long watchNanos;
  private final double budgetShare;
  private final int epoch;

  public Watchpoints(FindingStore findings, SharedMapsHint shared, RecordingSink sink,
      long watchNanos, double budgetShare, int epoch) {
    this.findings = findings;
    this.shared = shared;
    this.sink = sink;
    this.watchNanos = watchNanos;
    this.budgetShare = budgetShare;
    this.epoch = epoch;
  }

  /** Per-thread detector state, kept in {@link ThreadState#detectorData}. */
  static final class PerThread {
    final int epoch;
    final TimeBudget budget;
    int sampled;
    long iterationWindowStart;
    int iterationStacks;
    long iterationSuppressed;
    long claimedTicket;

    PerThread(int epoch, TimeBudget budget) {
      this.epoch = epoch;
      this.budget = budget;
    }
  }

  /** A key watch's owner-side data. */
  static final class KeyWatch {
    final long ticket;
    final boolean sawValue;
    final StackTraceElement readSite;

    KeyWatch(long ticket, boolean sawValue, StackTraceElement readSite) {
      this.ticket = ticket;
      this.sawValue = sawValue;
      this.readSite = readSite;
    }
  }

  private PerThread perThread(ThreadState state, long now) {
    Object d = state.detectorData;
    if (d instanceof PerThread && ((PerThread) d).epoch == epoch) {
      return (PerThread) d;
    }
    PerThread p = new PerThread(epoch, new TimeBudget(budgetShare, 4 * watchNanos, 4 * watchNanos, now));
    state.detectorData = p;
    return p;
  }

  /** Whether this sampled operation may arm a watch, and the pause budget allows it. */
  private boolean shouldWatch(Object map, ThreadState state, long now) {
    if (watchNanos <= 0 || budgetShare <= 0) {
      return false;
    }
    PerThread p = perThread(state, now);
    boolean candidate = shared.contains(map) || ++p.sampled % BASE_RATE == 0;
    return candidate && p.budget.tryTake(now, watchNanos);
  }

  // ---- whole-map watchpoints (HashMap, LinkedHashMap) ----

  /**
   * Returns when the map method's own body starts: {@code now} when nothing was watched, else the
   * clock after the pause (and after the report, if the pause caught an intrusion), so that the
   * pause is not timed as part of the operation.
   */
  @Override
  public long onSampledEnter(Object map, int op, Object key, long now, ThreadState state) {
    if (MapKinds.threadSafe(map) || !shouldWatch(map, state, now)) {
      return now;
    }
    PerThread p = perThread(state, now);
    WatchSlot slot = claim(now, p);
    long ticket = slot == null ? 0L : p.claimedTicket;
    if (ticket == 0L) {
      p.budget.settle(watchNanos, 0L);
      return now;
    }
    Thread me = Thread.currentThread();
    slot.arm(ticket, map, null, me, op, MODE_MAP, false, null, now + 4 * watchNanos);
    Intrusion hit;
    try {
      hit = pause(slot, ticket, map, now + watchNanos);
    } finally {
      slot.disarm(ticket);
    }
    long end = System.nanoTime();
    p.budget.settle(watchNanos, end - now);
    if (hit == null) {
      return end;
    }
    reportOverlap(map, op, key, hit, me);
    return System.nanoTime(); // the report walked the stack
  }

  /**
   * Claims a free (or expired) slot; null when all are busy. The ticket goes to
   * {@code p.claimedTicket}: read from the slot later, it could already be another watcher's.
   */
  private static WatchSlot claim(long now, PerThread p) {
    for (int i = 0; i < WatchSlots.SLOTS; i++) {
      WatchSlot s = WatchSlots.slot(i);
      long t = s.tryClaim(now);
      if (t != 0L) {
        p.claimedTicket = t;
        return s;
      }
    }
    return null;
  }

  /**
   * Pauses until an intrusion of this watch or the deadline; an interrupt ends it at once (and
   * stays set). An intrusion recorded for another watch of the slot is dropped.
   */
  private static Intrusion pause(WatchSlot slot, long ticket, Object map, long deadline) {
    while (true) {
      Object hit = slot.hit();
      if (hit instanceof Intrusion) {
        if (((Intrusion) hit).belongsTo(ticket, map)) {
          return (Intrusion) hit;
        }
        slot.clearHit(hit);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0L || Thread.currentThread().isInterrupted()) {
        return null;
      }
      LockSupport.parkNanos(Math.min(left, PARK_SLICE_NANOS));
    }
  }

  private void reportOverlap(Object map, int op, Object key, Intrusion in, Thread me) {
    boolean iWrite = MapKinds.writes(map, op);
    if (!iWrite && !in.write) {
      return;
    }
    List<StackTraceElement> mine = Sites.callerStack();
    String mySite = site(mine);
    String theirSite = site(in.stack);
    FindingKind kind = iWrite && in.write ? FindingKind.CONCURRENT_WRITE
        : FindingKind.READ_DURING_WRITE;
    boolean mineFirst;
    if (kind == FindingKind.READ_DURING_WRITE) {
      mineFirst = !iWrite; // the reader's site first: "a read ... while another thread writes"
    } else {
      mineFirst = mySite.compareTo(theirSite) <= 0; // one finding per pair of sites
    }
    String detail = MapOp.name(op) + " on " + me.getName() + " overlapped " + MapOp.name(in.op)
        + " on " + in.thread + " inside the same " + map.getClass().getSimpleName();
    FindingEvent e = new FindingEvent(kind, null, map, mineFirst ? mySite : theirSite,
        mineFirst ? theirSite : mySite,
        mineFirst ? Arrays.asList(me.getName(), in.thread) : Arrays.asList(in.thread, me.getName()),
        MapOp.hasKey(op) && mineFirst ? key : null, mineFirst ? mine : in.stack,
        mineFirst ? in.stack : mine, 1, detail).withTraceContext(sink.captureTraceContext());
    findings.offer(e);
  }

  // ---- key watches (ConcurrentHashMap) ----

  @Override
  public void onSampledExit(Object map, int op, Object key, Object arg, Object result,
      StackTraceElement site, long now, ThreadState state) {
    if (!MapKinds.threadSafe(map) || key == null
        || !(op == MapOp.GET || op == MapOp.CONTAINS_KEY || op == MapOp.GET_OR_DEFAULT)) {
      return;
    }
    if (!shouldWatch(map, state, now)) {
      return;
    }
    PerThread p = perThread(state, now);
    WatchSlot slot = claim(now, p);
    long ticket = slot == null ? 0L : p.claimedTicket;
    if (ticket == 0L) {
      p.budget.settle(watchNanos, 0L);
      return;
    }
    boolean sawValue = op == MapOp.CONTAINS_KEY ? Boolean.TRUE.equals(result)
        : result != null && !(op == MapOp.GET_OR_DEFAULT && result == arg);
    StackTraceElement readSite = site != null ? site : Sites.callerFrame();
    // Only writes of the key (the owner's, or another thread's) matter to a key watch.
    slot.arm(ticket, map, key, Thread.currentThread(), op, MODE_KEY, true,
        new KeyWatch(ticket, sawValue, readSite), now + KEY_WATCH_NANOS);
    // A short pause after the read widens the window in which another writer can show up.
    pause(slot, ticket, map, now + watchNanos);
    p.budget.settle(watchNanos, System.nanoTime() - now);
  }

  // ---- intrusions and the owner's follow-up ----

  @Override
  public void onWatchHit(WatchSlot slot, Object map, int op, Object key, ThreadState state) {
    // Read the ticket first and re-check it (and the map) after reading the plain fields: the
    // slot may have been disarmed and re-armed for another map since WatchSlots compared it.
    long ticket = slot.ticket();
    if (ticket <= 0L || slot.map() != map) {
      return;
    }
    Thread owner = slot.owner;
    int mode = slot.mode;
    int ownerOp = slot.ownerOp;
    Object watchedKey = slot.key;
    Object data = slot.ownerData;
    if (owner == null || slot.ticket() != ticket || slot.map() != map) {
      return;
    }
    Thread me = Thread.currentThread();
    if (mode == MODE_MAP) {
      if (owner == me || slot.hit() != null) {
        return;
      }
      boolean write = MapKinds.writes(map, op);
      if (!write && !MapKinds.writes(map, ownerOp)) {
        return;
      }
      slot.markHit(new Intrusion(ticket, map, me.getName(), op, write, Sites.callerStack()));
      return;
    }
    if (mode != MODE_KEY || !(data instanceof KeyWatch) || !sameKey(key, watchedKey)) {
      return;
    }
    KeyWatch kw = (KeyWatch) data;
    if (owner != me) {
      if (MapOp.isWrite(op) && slot.hit() == null && System.nanoTime() - slot.deadlineNanos() < 0) {
        slot.markHit(new Intrusion(ticket, map, me.getName(), op, true, Sites.callerStack()));
      }
      return;
    }
    if (!MapOp.isWrite(op)) {
      return; // the owner reads the key again: keep watching
    }
    if ((op == MapOp.PUT || op == MapOp.REMOVE) && slot.hit() == null) {
      // A second window, inside the owner's own write: on a loaded machine the other writers may
      // not have run during the pause after the read, and parking here hands them the core
      // (scripts/detection-rate.sh: LOST_UPDATE 98/100 under load without it).
      long now = System.nanoTime();
      PerThread p = perThread(state, now);
      if (p.budget.tryTake(now, watchNanos)) {
        pause(slot, kw.ticket, map, now + watchNanos);
        p.budget.settle(watchNanos, System.nanoTime() - now);
      }
    }
    Object hit = slot.hit();
    slot.disarm(kw.ticket);
    if ((op == MapOp.PUT || op == MapOp.REMOVE) && hit instanceof Intrusion
        && ((Intrusion) hit).belongsTo(kw.ticket, map)) {
      reportLostUpdate(map, op, key, kw, (Intrusion) hit, me);
    }
  }

  private void reportLostUpdate(Object map, int op, Object key, KeyWatch kw, Intrusion in,
      Thread me) {
    List<StackTraceElement> mine = Sites.callerStack();
    FindingKind kind = kw.sawValue ? FindingKind.LOST_UPDATE : FindingKind.CHECK_THEN_ACT;
    String detail = (kw.sawValue ? "read a value" : "read absence") + " at "
        + Sites.format(kw.readSite) + ", then " + MapOp.name(op) + " after " + in.thread
        + " wrote the same key (" + MapOp.name(in.op) + "): use "
        + (kw.sawValue ? "merge/compute" : "putIfAbsent/computeIfAbsent");
    findings.offer(new FindingEvent(kind, null, map, site(mine), site(in.stack),
        Arrays.asList(me.getName(), in.thread), key, mine, in.stack, 1, detail)
        .withTraceContext(sink.captureTraceContext()));
  }

  /** Identity, or JDK equality for safe key types: user equals never runs here. */
  private static boolean sameKey(Object a, Object b) {
    return a == b || (a != null && b != null && a.getClass() == b.getClass()
        && SafeKeys.isSafe(a) && a.equals(b));
  }

  // ---- modification during iteration ----

  @Override
  public void onModifiedDuringIteration(Object map, Object iterator, Throwable thrown) {
    ThreadState state = io.mapaudit.bootstrap.ReentrancyGuard.state();
    long now = System.nanoTime();
    PerThread p = perThread(state, now);
    if (now - p.iterationWindowStart > 1_000_000_000L) {
      p.iterationWindowStart = now;
      p.iterationStacks = 0;
    }
    // Full stacks for the first few per second; then the site frame only, so that the count
    // stays exact; past that, counted into the next occurrence reported.
    int n = p.iterationStacks++;
    if (n >= ITERATION_SITES_PER_SECOND) {
      p.iterationSuppressed++;
      return;
    }
    List<StackTraceElement> stack;
    if (n < ITERATION_STACKS_PER_SECOND) {
      stack = Sites.callerStack();
    } else {
      StackTraceElement frame = Sites.callerFrame();
      stack = frame == null ? Collections.<StackTraceElement>emptyList()
          : Collections.singletonList(frame);
    }
    long weight = 1L + p.iterationSuppressed;
    p.iterationSuppressed = 0;
    String detail = thrown != null
        ? "the next element threw ConcurrentModificationException: the map was structurally "
            + "modified, not through the iterator, while it was iterated"
        : "the iteration ended early without an exception: the map was structurally modified, "
            + "not through the iterator, while it was iterated (elements were skipped)";
    findings.offer(new FindingEvent(FindingKind.MODIFIED_DURING_ITERATION, null, map, site(stack),
        null, Collections.singletonList(Thread.currentThread().getName()), null, stack, null,
        weight, detail).withTraceContext(sink.captureTraceContext()));
  }

  /** Frees key watches whose owner never came back (drainer tick). */
  public static void expireKeyWatches(long nowNanos) {
    for (int i = 0; i < WatchSlots.SLOTS; i++) {
      WatchSlot s = WatchSlots.slot(i);
      long t = s.ticket();
      if (t > 0L && s.map() != null && s.mode == MODE_KEY && nowNanos - s.deadlineNanos() > 0) {
        s.disarm(t);
      }
    }
  }

  private static String site(List<StackTraceElement> stack) {
    return stack.isEmpty() ? "unknown" : Sites.format(stack.get(0));
  }
}

package io.mapaudit.bootstrap;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One watchpoint: a map (and optionally a key) that a sampled thread watches for a bounded time.
 * Any other thread that enters an instrumented method of the same map while the slot is armed is
 * proof that the two were not mutually excluded (DESIGN §4.2).
 *
 * <p>Ownership is a ticket: {@link #tryClaim} hands out a unique non-zero ticket for a free slot,
 * or for one whose watch has passed its deadline (a key watch whose owner never came back), and
 * only the current ticket can {@link #disarm}. The owner writes the plain fields, then publishes
 * them with the volatile {@code map}; other threads see the slot only through {@link #map()} and
 * re-check {@link #ticket()} when the answer matters.
 */
public final class WatchSlot {
  private static final AtomicLong TICKETS = new AtomicLong();
  private static final long CLOSING = -1L;

  /** This slot's index in {@link WatchSlots}. */
  public final int index;
  private final AtomicLong ticket = new AtomicLong();
  private volatile Object map;
  private volatile long deadlineNanos;
  private final AtomicReference<Object> hit = new AtomicReference<>();
  /** The watched key (key watches on concurrent maps), or null for a whole-map watch. */
  public Object key;
  /** The thread that armed the slot. */
  public Thread owner;
  /** The operation the owner was in when it armed the slot. */
  public int ownerOp;
  /** What the agent attaches to the armed slot (e.g. the watcher's read result and site). */
  public Object ownerData;
  /** Sink-defined mode of the watch (e.g. whole-map watch vs key watch). */
  public int mode;
  /** True when only writes can matter to this watch: reads then skip the slot check. */
  private boolean writesOnly;

  WatchSlot(int index) {
    this.index = index;
  }

  /** The watched map, or null when the slot is free. */
  public Object map() {
    return map;
  }

  /** The current owner's ticket; 0 when free. */
  public long ticket() {
    return ticket.get();
  }

  /** Monotonic nanos after which the watch may be reclaimed by another watcher. */
  public long deadlineNanos() {
    return deadlineNanos;
  }

  /**
   * Claims the slot when it is free, or when its watch expired before {@code nowNanos}.
   * Returns the ticket, or 0 when the slot is in use.
   */
  public long tryClaim(long nowNanos) {
    long t = ticket.get();
    if (t == CLOSING || (t != 0L && (map == null || nowNanos - deadlineNanos < 0L))) {
      return 0L;
    }
    long mine = TICKETS.incrementAndGet();
    return ticket.compareAndSet(t, mine) ? mine : 0L;
  }

  /**
   * Publishes the watch. The caller holds {@code myTicket}. With {@code onlyWrites}, operations
   * that do not write ({@link MapOp#isWrite}) are not checked against this slot at all.
   */
  public void arm(long myTicket, Object watchedMap, Object watchedKey, Thread watcher, int op,
      int watchMode, boolean onlyWrites, Object data, long deadline) {
    // Unpublish first when reclaiming an expired watch: a reader that saw the old map then fails
    // its re-check instead of reading half-written fields (WatchpointsTest, the ABA case).
    Object previous = this.map;
    this.map = null;
    if (previous != null) {
      DispatchGate.WORD.addAndGet(-DispatchGate.slotUnit(writesOnly));
    }
    this.writesOnly = onlyWrites;
    this.key = watchedKey;
    this.owner = watcher;
    this.ownerOp = op;
    this.mode = watchMode;
    this.ownerData = data;
    this.deadlineNanos = deadline;
    this.hit.set(null);
    // Counted before the map is published, so that no operation skips a slot it could match.
    DispatchGate.WORD.addAndGet(DispatchGate.slotUnit(onlyWrites));
    this.map = watchedMap;
  }

  /** Records the first intrusion; later ones return false. */
  public boolean markHit(Object record) {
    return hit.compareAndSet(null, record);
  }

  /** Drops {@code record} if it is the recorded intrusion (it belonged to an earlier watch). */
  public void clearHit(Object record) {
    hit.compareAndSet(record, null);
  }

  /** The first intrusion recorded by {@link #markHit}, or null. */
  public Object hit() {
    return hit.get();
  }

  /** Unpublishes the watch and frees the slot, if {@code myTicket} still owns it. */
  public boolean disarm(long myTicket) {
    // Closing state first, so that a watcher reclaiming an expired slot cannot have its fields
    // cleared by the previous owner's late disarm.
    if (myTicket == CLOSING || !ticket.compareAndSet(myTicket, CLOSING)) {
      return false;
    }
    Object previous = map;
    map = null;
    key = null;
    owner = null;
    ownerData = null;
    hit.set(null);
    ticket.set(0L);
    if (previous != null) {
      DispatchGate.WORD.addAndGet(-DispatchGate.slotUnit(writesOnly));
    }
    return true;
  }

  /** Frees the slot whoever owns it (detach). */
  void forceDisarm() {
    long t = ticket.get();
    if (t != 0L && t != CLOSING) {
      disarm(t);
    }
  }
}

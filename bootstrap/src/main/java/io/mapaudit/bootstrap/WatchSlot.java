package io.mapaudit.bootstrap;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One watchpoint: a map (and optionally a key) that a sampled thread watches for a bounded time.
 * Any other thread that enters an instrumented method of the same map while the slot is armed is
 * proof that the two were not mutually excluded (DESIGN §4.2).
 *
 * <p>Protocol: the watcher {@link #tryClaim() claims} a free slot, {@link #arm arms} it (plain
 * fields first, then the volatile {@code map}, which publishes them), and {@link #disarm()
 * disarms} it when done. Intruders see the slot only through a volatile read of {@link #map()}.
 */
public final class WatchSlot {
  /** This slot's index in {@link WatchSlots}. */
  public final int index;
  private final AtomicInteger claimed = new AtomicInteger();
  private volatile Object map;
  private final AtomicReference<Object> hit = new AtomicReference<>();
  /** The watched key (key watches on concurrent maps), or null for a whole-map watch. */
  public Object key;
  /** The thread that armed the slot. */
  public Thread owner;
  /** The operation the owner was in when it armed the slot. */
  public int ownerOp;
  /** What the agent attaches to the armed slot (e.g. the watcher's read result). */
  public Object ownerData;
  /** Sink-defined mode of the watch (e.g. whole-map watch vs key watch). */
  public int mode;
  /** Monotonic nanos after which a key watch expires. */
  public long deadlineNanos;

  WatchSlot(int index) {
    this.index = index;
  }

  /** The watched map, or null when the slot is free. */
  public Object map() {
    return map;
  }

  /** Claims the slot for arming; false when another watcher holds it. */
  public boolean tryClaim() {
    return claimed.compareAndSet(0, 1);
  }

  /** Publishes the watch. The caller must hold the claim. */
  public void arm(Object watchedMap, Object watchedKey, Thread watcher, int op, int watchMode,
      Object data, long deadline) {
    this.key = watchedKey;
    this.owner = watcher;
    this.ownerOp = op;
    this.mode = watchMode;
    this.ownerData = data;
    this.deadlineNanos = deadline;
    this.hit.set(null);
    this.map = watchedMap;
    WatchSlots.ARMED.incrementAndGet();
  }

  /** Records the first intrusion; later ones return false. */
  public boolean markHit(Object record) {
    return hit.compareAndSet(null, record);
  }

  /** The first intrusion recorded by {@link #markHit}, or null. */
  public Object hit() {
    return hit.get();
  }

  /** Unpublishes the watch and frees the slot; drops every reference it held. */
  public void disarm() {
    if (map != null) {
      map = null;
      WatchSlots.ARMED.decrementAndGet();
    }
    key = null;
    owner = null;
    ownerData = null;
    hit.set(null);
    claimed.set(0);
  }
}

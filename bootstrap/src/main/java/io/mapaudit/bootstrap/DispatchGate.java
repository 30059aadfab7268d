package io.mapaudit.bootstrap;

import java.util.concurrent.atomic.AtomicInteger;
import jdk.internal.vm.annotation.ForceInline;

/**
 * The one word every instrumented operation reads before anything else. While auditing is on, no
 * sampling window is open and no watchpoint is armed, the word is exactly {@link #ACTIVE} and
 * the operation goes on after that single read: no store, no lookup, no random draw.
 *
 * <p>Layout: bit 0 {@link #ACTIVE}; bit 1 {@link #WINDOW} (a sampling window is open); from
 * bit 2, the number of armed watch slots that every operation must be checked against; from
 * bit 17, the number of armed slots that only writes can matter to. The word is never negative
 * (at most {@link WatchSlots#SLOTS} slots of each kind).
 */
public final class DispatchGate {
  /** Auditing is on. */
  public static final int ACTIVE = 1;
  /** A sampling window is open: operations draw whether they are sampled. */
  public static final int WINDOW = 2;
  static final int ALL_OPS_UNIT = 1 << 2;
  static final int ALL_OPS_MASK = 0x7FFF << 2;
  static final int WRITES_ONLY_UNIT = 1 << 17;

  static final AtomicInteger WORD = new AtomicInteger();

  private DispatchGate() {}

  /** The current word (tests and diagnostics). */
  public static int word() {
    return WORD.get();
  }

  /** Sets or clears {@code bit} ({@link #ACTIVE} or {@link #WINDOW}). */
  static void set(int bit, boolean on) {
    while (true) {
      int w = WORD.get();
      int next = on ? w | bit : w & ~bit;
      if (next == w || WORD.compareAndSet(w, next)) {
        return;
      }
    }
  }

  /** The unit that one armed slot adds to the word. */
  static int slotUnit(boolean writesOnly) {
    return writesOnly ? WRITES_ONLY_UNIT : ALL_OPS_UNIT;
  }

  /**
   * Whether operation {@code op} must be checked against the armed slots, given {@code word}
   * (with {@code op} a constant the write test folds away: a read tests one mask).
   */
  @ForceInline
  static boolean mustCheck(int word, int op) {
    return (word & ALL_OPS_MASK) != 0 || (word >= WRITES_ONLY_UNIT && MapOp.isWrite(op));
  }

  /**
   * Whether {@code word} sends operation {@code op} straight to its sampling draw: auditing on,
   * the window open and no armed slot that {@code op} must be checked against. One mask and one
   * compare (a read's mask leaves out the writes-only slots; a write's is the whole word), where
   * {@code !mustCheck && sampling} took two of each: with {@code op} a constant the mask folds.
   */
  @ForceInline
  static boolean drawsOnly(int word, int op) {
    int mask = MapOp.isWrite(op) ? -1 : ACTIVE | WINDOW | ALL_OPS_MASK;
    return (word & mask) == (ACTIVE | WINDOW);
  }

  /** Number of armed slots of both kinds in {@code word}. */
  static int armedSlots(int word) {
    return ((word & ALL_OPS_MASK) >>> 2) + (word >>> 17);
  }
}

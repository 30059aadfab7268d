package io.mapaudit.bootstrap;

/**
 * The few armed watchpoints every instrumented operation checks. With none armed the check is
 * part of the {@link DispatchGate} read; with some armed it is at most {@link #SLOTS} reference
 * compares, no hashing and no allocation. Slots armed only for writes (key watches on concurrent
 * maps, armed for 20 ms after a sampled read) are not checked by reads at all: before that split,
 * a read-mostly ConcurrentHashMap with such a watch armed most of the time took the checked path
 * on every get, at 5x its cost.
 */
public final class WatchSlots {
  /** Number of slots: few, so that checking all of them stays a handful of compares. */
  public static final int SLOTS = 8;

  private static final WatchSlot[] SLOT_ARRAY = new WatchSlot[SLOTS];

  static {
    for (int i = 0; i < SLOTS; i++) {
      SLOT_ARRAY[i] = new WatchSlot(i);
    }
  }

  private WatchSlots() {}

  /** Slot {@code i}, 0 ≤ i < {@link #SLOTS}. */
  public static WatchSlot slot(int i) {
    return SLOT_ARRAY[i];
  }

  /** Number of armed slots right now. */
  public static int armed() {
    return DispatchGate.armedSlots(DispatchGate.WORD.get());
  }

  /** Disarms every slot (detach). */
  public static void disarmAll() {
    for (WatchSlot s : SLOT_ARRAY) {
      s.forceDisarm();
    }
  }

  /** Calls {@code sink.onWatchHit} for each armed slot watching {@code map}. */
  static void check(Object map, int op, Object key, ThreadState state, MapAccessSink sink) {
    for (WatchSlot s : SLOT_ARRAY) {
      if (s.map() == map) {
        state.busy++;
        try {
          sink.onWatchHit(s, map, op, key, state);
        } catch (Throwable e) {
          AdviceErrors.record(e);
        } finally {
          state.busy--;
        }
      }
    }
  }
}

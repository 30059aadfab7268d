package io.mapaudit.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;

/**
 * Reads {@code HashMap.modCount}, which iterator advice compares with the iterator's expected
 * count to prove a modification during iteration. The agent opens {@code java.util} to this
 * class's module before initialising it; if that failed, {@link #available()} is false and the
 * check is skipped.
 */
public final class ModCounts {
  private static final VarHandle MOD_COUNT = find();

  private ModCounts() {}

  private static VarHandle find() {
    try {
      return MethodHandles.privateLookupIn(HashMap.class, MethodHandles.lookup())
          .findVarHandle(HashMap.class, "modCount", int.class);
    } catch (Throwable e) {
      return null;
    }
  }

  /** True when modification counts can be read. */
  public static boolean available() {
    return MOD_COUNT != null;
  }

  /** The map's modification count; {@code expected} when unavailable (so nothing is reported). */
  static int read(Object map, int expected) {
    VarHandle h = MOD_COUNT;
    if (h == null || !(map instanceof HashMap)) {
      return expected;
    }
    return (int) h.getOpaque((HashMap<?, ?>) map);
  }
}

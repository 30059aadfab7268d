package io.mapaudit.bootstrap;

/**
 * Operation codes that advice passes to {@link MapAccessDispatcher}. Constants are {@code int}s so
 * that the advice inlined into {@code java.util.HashMap} pushes a literal and allocates nothing.
 *
 * <p>Codes are dense from 0 to {@link #COUNT} - 1 so that the agent can keep per-operation counters
 * in plain arrays.
 */
public final class MapOp {
  public static final int GET = 0;
  public static final int GET_OR_DEFAULT = 1;
  public static final int CONTAINS_KEY = 2;
  public static final int PUT = 3;
  public static final int PUT_IF_ABSENT = 4;
  public static final int REMOVE = 5;
  /** {@code remove(key, value)}: conditional, atomic on concurrent maps. */
  public static final int REMOVE_VALUE = 6;
  public static final int REPLACE = 7;
  /** {@code replace(key, oldValue, newValue)}: conditional, atomic on concurrent maps. */
  public static final int REPLACE_VALUE = 8;
  public static final int COMPUTE = 9;
  public static final int COMPUTE_IF_ABSENT = 10;
  public static final int COMPUTE_IF_PRESENT = 11;
  public static final int MERGE = 12;
  public static final int PUT_ALL = 13;
  public static final int CLEAR = 14;
  public static final int SIZE = 15;
  public static final int ITERATOR = 16;
  public static final int ITERATOR_NEXT = 17;
  public static final int ITERATOR_REMOVE = 18;
  public static final int CONSTRUCT = 19;
  public static final int COUNT = 20;

  private static final String[] NAMES = {
    "get", "getOrDefault", "containsKey", "put", "putIfAbsent", "remove", "removeValue", "replace",
    "replaceValue", "compute", "computeIfAbsent", "computeIfPresent", "merge", "putAll", "clear",
    "size", "iterator", "iteratorNext", "iteratorRemove", "construct"
  };

  private MapOp() {}

  /** The report name of an operation code, e.g. {@code "getOrDefault"}. */
  public static String name(int op) {
    return op >= 0 && op < COUNT ? NAMES[op] : "op" + op;
  }

  /** True for operations that may change the map's contents (the map-level write set). */
  public static boolean isWrite(int op) {
    return (op >= PUT && op <= CLEAR) || op == ITERATOR_REMOVE;
  }

  /** True for operations whose atomicity a concurrent map guarantees (never a lost update). */
  public static boolean isAtomicConditional(int op) {
    return op == PUT_IF_ABSENT || op == REMOVE_VALUE || op == REPLACE_VALUE || op == COMPUTE
        || op == COMPUTE_IF_ABSENT || op == COMPUTE_IF_PRESENT || op == MERGE;
  }

  /** True for operations that only read the map's contents. */
  public static boolean isRead(int op) {
    return op == GET || op == GET_OR_DEFAULT || op == CONTAINS_KEY || op == SIZE
        || op == ITERATOR || op == ITERATOR_NEXT;
  }

  /** True for operations whose first argument is a key. */
  public static boolean hasKey(int op) {
    return op <= MERGE;
  }
}

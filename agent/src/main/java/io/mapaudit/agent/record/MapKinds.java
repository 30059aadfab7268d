package io.mapaudit.agent.record;

import io.mapaudit.bootstrap.MapOp;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** What an operation means for a given map: a read, or a write of its structure. */
public final class MapKinds {
  /* LinkedHashMap.accessOrder: the agent opens java.util to itself at install. */
  private static final VarHandle ACCESS_ORDER = find();

  private MapKinds() {}

  private static VarHandle find() {
    try {
      return MethodHandles.privateLookupIn(LinkedHashMap.class, MethodHandles.lookup())
          .findVarHandle(LinkedHashMap.class, "accessOrder", boolean.class);
    } catch (Throwable e) {
      return null;
    }
  }

  /** True for concurrent maps, whose operations need no external synchronisation. */
  public static boolean threadSafe(Object map) {
    // Class checks first: a failing interface instanceof scans HashMap's secondary supers on
    // every sampled operation (10 % of a sampling=1 get in a JFR profile).
    if (map instanceof ConcurrentHashMap) {
      return true;
    }
    return !(map instanceof HashMap) && map instanceof ConcurrentMap;
  }

  /**
   * True when {@code op} changes {@code map}'s structure. On an access-ordered
   * {@code LinkedHashMap}, {@code get} moves the entry to the end: it is a write.
   */
  public static boolean writes(Object map, int op) {
    if (MapOp.isWrite(op)) {
      return true;
    }
    if ((op == MapOp.GET || op == MapOp.GET_OR_DEFAULT) && map instanceof LinkedHashMap
        && ACCESS_ORDER != null) {
      return (boolean) ACCESS_ORDER.get((LinkedHashMap<?, ?>) map);
    }
    return false;
  }
}

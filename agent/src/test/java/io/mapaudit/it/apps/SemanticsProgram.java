package io.mapaudit.it.apps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Map semantics that the agent must not change (SemanticsIT runs it with and without the agent at
 * {@code sampling=1} and compares standard output byte for byte): null keys and values, tree bins
 * of colliding keys, keys whose {@code hashCode}/{@code equals}/{@code toString} throw or block, a
 * map touched from its own key's {@code hashCode}, compute/merge functions that modify the map,
 * and very large maps. Every outcome is printed: the result, or the exception with its full stack.
 *
 * <p>{@code main(scenario..., [big=N])}; scenarios: nulls collisions throwing reentrant
 * recursive blocking big. Timings go to standard error (they differ run to run).
 */
public final class SemanticsProgram {
  private static final List<Supplier<Map<Object, Object>>> SEQUENTIAL = List.of(
      HashMap::new, LinkedHashMap::new, () -> new LinkedHashMap<>(16, 0.75f, true));
  private static final List<String> SEQUENTIAL_NAMES = List.of("HashMap", "LinkedHashMap",
      "LinkedHashMap(accessOrder)");

  private SemanticsProgram() {}

  public static void main(String[] args) throws Exception {
    int big = 10_000_000;
    List<String> scenarios = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("big=")) {
        big = Integer.parseInt(a.substring(4));
      } else {
        scenarios.add(a);
      }
    }
    for (String s : scenarios) {
      System.out.println("== " + s);
      switch (s) {
        case "nulls":
          nulls();
          break;
        case "collisions":
          collisions();
          break;
        case "throwing":
          throwing();
          break;
        case "reentrant":
          reentrant();
          break;
        case "recursive":
          recursive();
          break;
        case "blocking":
          blocking();
          break;
        case "big":
          big(big);
          break;
        default:
          throw new IllegalArgumentException(s);
      }
    }
    System.out.println("== done");
  }

  /** Prints the outcome of one call: its result, or what it threw with the whole stack. */
  static void attempt(String what, Callable<?> call) {
    try {
      Object r = call.call();
      System.out.println(what + " -> " + r);
    } catch (Throwable e) {
      System.out.println(what + " threw " + e);
      for (StackTraceElement f : e.getStackTrace()) {
        System.out.println("    at " + f);
      }
    }
  }

  // ---- null keys and values ----

  static void nulls() {
    for (int i = 0; i < SEQUENTIAL.size(); i++) {
      String n = SEQUENTIAL_NAMES.get(i);
      Map<Object, Object> m = SEQUENTIAL.get(i).get();
      attempt(n + ".put(null,v)", () -> m.put(null, "v"));
      attempt(n + ".put(k,null)", () -> m.put("k", null));
      attempt(n + ".get(null)", () -> m.get(null));
      attempt(n + ".get(k)", () -> m.get("k"));
      attempt(n + ".containsKey(k)", () -> m.containsKey("k"));
      attempt(n + ".getOrDefault(k,d)", () -> m.getOrDefault("k", "d"));
      attempt(n + ".getOrDefault(absent,d)", () -> m.getOrDefault("absent", "d"));
      attempt(n + ".putIfAbsent(k,w)", () -> m.putIfAbsent("k", "w"));
      attempt(n + ".merge(null,x,concat)", () -> m.merge(null, "x", (a, b) -> "" + a + b));
      attempt(n + ".merge(k,null,f)", () -> m.merge("k", null, (a, b) -> a));
      attempt(n + ".compute(null,->null)", () -> m.compute(null, (k, v) -> null));
      attempt(n + ".computeIfAbsent(z,->null)", () -> m.computeIfAbsent("z", k -> null));
      attempt(n + ".replace(null,r)", () -> m.replace(null, "r"));
      attempt(n + ".remove(null)", () -> m.remove(null));
      attempt(n + ".remove(k,null)", () -> m.remove("k", null));
      attempt(n + ".toString", m::toString);
    }
    ConcurrentHashMap<Object, Object> c = new ConcurrentHashMap<>();
    c.put("k", "v");
    String n = "ConcurrentHashMap";
    attempt(n + ".put(null,v)", () -> c.put(null, "v"));
    attempt(n + ".put(k,null)", () -> c.put("k", null));
    attempt(n + ".get(null)", () -> c.get(null));
    attempt(n + ".containsKey(null)", () -> c.containsKey(null));
    attempt(n + ".getOrDefault(null,d)", () -> c.getOrDefault(null, "d"));
    attempt(n + ".putIfAbsent(null,v)", () -> c.putIfAbsent(null, "v"));
    attempt(n + ".remove(null)", () -> c.remove(null));
    attempt(n + ".remove(k,null)", () -> c.remove("k", null));
    attempt(n + ".replace(null,r)", () -> c.replace(null, "r"));
    attempt(n + ".replace(k,v,null)", () -> c.replace("k", "v", null));
    attempt(n + ".compute(null,f)", () -> c.compute(null, (k, v) -> "x"));
    attempt(n + ".computeIfAbsent(null,f)", () -> c.computeIfAbsent(null, k -> "x"));
    attempt(n + ".computeIfAbsent(z,->null)", () -> c.computeIfAbsent("z", k -> null));
    attempt(n + ".merge(null,x,f)", () -> c.merge(null, "x", (a, b) -> a));
    attempt(n + ".merge(k,null,f)", () -> c.merge("k", null, (a, b) -> a));
    attempt(n + ".putAll({null:v})", () -> {
      Map<Object, Object> src = new HashMap<>();
      src.put(null, "v");
      c.putAll(src);
      return c.size();
    });
    attempt(n + ".toString", c::toString);
  }

  // ---- colliding hash codes: tree bins ----

  /** Equal hash codes, not Comparable: the tree bin orders them by identity hash. */
  static final class Collider {
    final int id;

    Collider(int id) {
      this.id = id;
    }

    @Override
    public int hashCode() {
      return 42;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Collider && ((Collider) o).id == id;
    }

    @Override
    public String toString() {
      return "C" + id;
    }
  }

  /** Equal hash codes, Comparable: the tree bin orders them by compareTo. */
  static final class ComparableCollider implements Comparable<ComparableCollider> {
    final int id;

    ComparableCollider(int id) {
      this.id = id;
    }

    @Override
    public int hashCode() {
      return 7;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ComparableCollider && ((ComparableCollider) o).id == id;
    }

    @Override
    public int compareTo(ComparableCollider o) {
      return Integer.compare(id, o.id);
    }

    @Override
    public String toString() {
      return "K" + id;
    }
  }

  static void collisions() {
    List<Supplier<Map<Object, Object>>> all = new ArrayList<>(SEQUENTIAL);
    all.add(ConcurrentHashMap::new);
    List<String> names = new ArrayList<>(SEQUENTIAL_NAMES);
    names.add("ConcurrentHashMap");
    for (int i = 0; i < all.size(); i++) {
      for (boolean comparable : new boolean[] {false, true}) {
        String n = names.get(i) + (comparable ? "/comparable" : "/plain");
        Map<Object, Object> m = all.get(i).get();
        int keys = 64;
        for (int k = 0; k < keys; k++) {
          m.put(key(comparable, k), k);
        }
        long found = 0;
        for (int k = 0; k < keys; k++) {
          found += (Integer) m.get(key(comparable, k));
        }
        int present = 0;
        for (int k = 0; k < 2 * keys; k++) {
          present += m.containsKey(key(comparable, k)) ? 1 : 0;
        }
        for (int k = 0; k < keys; k += 2) {
          m.remove(key(comparable, k));
        }
        m.merge(key(comparable, 1), 100, (a, b) -> (Integer) a + (Integer) b);
        m.compute(key(comparable, 3), (k, v) -> v == null ? -1 : (Integer) v * 2);
        m.computeIfAbsent(key(comparable, 1000), k -> 1000);
        long iterated = 0;
        for (Map.Entry<Object, Object> e : m.entrySet()) {
          iterated += (Integer) e.getValue();
        }
        // Iteration order of non-Comparable tree bins depends on identity hashes: print sorted.
        List<String> contents = new ArrayList<>();
        for (Map.Entry<Object, Object> e : m.entrySet()) {
          contents.add(e.getKey() + "=" + e.getValue());
        }
        if (!(m instanceof LinkedHashMap)) {
          Collections.sort(contents);
        }
        System.out.println(n + " found=" + found + " present=" + present + " size=" + m.size()
            + " iterated=" + iterated + " contents=" + contents);
        Iterator<Object> it = m.keySet().iterator();
        while (it.hasNext()) {
          it.next();
          it.remove();
        }
        System.out.println(n + " after iterator removal size=" + m.size() + " empty=" + m.isEmpty());
      }
    }
  }

  private static Object key(boolean comparable, int id) {
    return comparable ? new ComparableCollider(id) : new Collider(id);
  }

  // ---- keys whose own methods throw ----

  static final class ThrowingHash {
    @Override
    public int hashCode() {
      throw new IllegalStateException("hashCode says no");
    }
  }

  static final class ThrowingEquals {
    @Override
    public int hashCode() {
      return 1;
    }

    @Override
    public boolean equals(Object o) {
      throw new UnsupportedOperationException("equals says no");
    }
  }

  static final class ThrowingToString {
    @Override
    public String toString() {
      throw new ArithmeticException("toString says no");
    }
  }

  static void throwing() {
    List<Supplier<Map<Object, Object>>> all = new ArrayList<>(SEQUENTIAL);
    all.add(ConcurrentHashMap::new);
    List<String> names = new ArrayList<>(SEQUENTIAL_NAMES);
    names.add("ConcurrentHashMap");
    for (int i = 0; i < all.size(); i++) {
      String n = names.get(i);
      Map<Object, Object> m = all.get(i).get();
      ThrowingHash h = new ThrowingHash();
      attempt(n + ".put(throwingHash)", () -> m.put(h, 1));
      attempt(n + ".get(throwingHash)", () -> m.get(h));
      attempt(n + ".containsKey(throwingHash)", () -> m.containsKey(h));
      attempt(n + ".getOrDefault(throwingHash)", () -> m.getOrDefault(h, 0));
      attempt(n + ".remove(throwingHash)", () -> m.remove(h));
      attempt(n + ".computeIfAbsent(throwingHash)", () -> m.computeIfAbsent(h, k -> 1));
      attempt(n + ".merge(throwingHash)", () -> m.merge(h, 1, (a, b) -> a));
      ThrowingEquals e1 = new ThrowingEquals();
      ThrowingEquals e2 = new ThrowingEquals();
      attempt(n + ".put(throwingEquals#1)", () -> m.put(e1, 1));
      attempt(n + ".get(throwingEquals#1) by identity", () -> m.get(e1));
      attempt(n + ".put(throwingEquals#2)", () -> m.put(e2, 2));
      attempt(n + ".get(throwingEquals#2)", () -> m.get(e2));
      attempt(n + ".containsKey(throwingEquals#2)", () -> m.containsKey(e2));
      attempt(n + ".remove(throwingEquals#2)", () -> m.remove(e2));
      attempt(n + ".size", m::size);
      ThrowingToString t = new ThrowingToString();
      attempt(n + ".put(throwingToString)", () -> m.put(t, 3));
      attempt(n + ".get(throwingToString)", () -> m.get(t));
      attempt(n + ".toString", m::toString);
      attempt(n + ".size", m::size);
    }
  }

  // ---- a map touched from its own key's hashCode ----

  static final class SelfTouchingKey {
    final Map<Object, Object> map;
    final int id;
    int calls;

    SelfTouchingKey(Map<Object, Object> map, int id) {
      this.map = map;
      this.id = id;
    }

    @Override
    public int hashCode() {
      // The agent renders keys of non-JDK types with their hashCode on its drainer thread
      // (KeyRenderer): only the application's own calls are compared.
      if (!Thread.currentThread().getName().startsWith("mapaudit")) {
        calls++;
      }
      Object other = map.get("other");
      return id * 31 + map.size() * 0 + (other == null ? 0 : 0);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SelfTouchingKey && ((SelfTouchingKey) o).id == id;
    }

    @Override
    public String toString() {
      return "S" + id;
    }
  }

  static void reentrant() {
    List<Supplier<Map<Object, Object>>> all = new ArrayList<>(SEQUENTIAL);
    all.add(ConcurrentHashMap::new);
    List<String> names = new ArrayList<>(SEQUENTIAL_NAMES);
    names.add("ConcurrentHashMap");
    for (int i = 0; i < all.size(); i++) {
      String n = names.get(i);
      Map<Object, Object> m = all.get(i).get();
      m.put("other", "o");
      SelfTouchingKey k = new SelfTouchingKey(m, 5);
      attempt(n + ".put(selfTouching)", () -> m.put(k, "v"));
      attempt(n + ".get(selfTouching)", () -> m.get(new SelfTouchingKey(m, 5)));
      attempt(n + ".computeIfAbsent(selfTouching)", () -> m.computeIfAbsent(
          new SelfTouchingKey(m, 6), x -> "w"));
      attempt(n + ".remove(selfTouching)", () -> m.remove(k));
      System.out.println(n + " hashCode calls on the first key: " + k.calls + ", map " + m);
    }
  }

  // ---- compute and merge functions that modify the map ----

  static void recursive() {
    for (int i = 0; i < SEQUENTIAL.size(); i++) {
      String n = SEQUENTIAL_NAMES.get(i);
      Map<Object, Object> m = SEQUENTIAL.get(i).get();
      m.put("a", 1);
      attempt(n + ".computeIfAbsent(f puts)", () -> m.computeIfAbsent("b", k -> {
        m.put("c", 3);
        return 2;
      }));
      attempt(n + ".compute(f removes)", () -> m.compute("a", (k, v) -> {
        m.remove("c");
        return 5;
      }));
      attempt(n + ".merge(f puts)", () -> m.merge("a", 1, (x, y) -> {
        m.put("d", 4);
        return 9;
      }));
      attempt(n + ".computeIfPresent(f clears)", () -> m.computeIfPresent("a", (k, v) -> {
        m.clear();
        return 7;
      }));
      attempt(n + ".toString", m::toString);
    }
    ConcurrentHashMap<Object, Object> c = new ConcurrentHashMap<>();
    String n = "ConcurrentHashMap";
    c.put(new ComparableCollider(0), 0);
    attempt(n + ".computeIfAbsent(f computeIfAbsent same bin)", () -> c.computeIfAbsent(
        new ComparableCollider(1), k -> c.computeIfAbsent(new ComparableCollider(2), x -> 2)));
    attempt(n + ".compute(f compute same key)", () -> c.compute(new ComparableCollider(0),
        (k, v) -> c.compute(new ComparableCollider(0), (x, y) -> 1)));
    attempt(n + ".merge(f merge same key)", () -> c.merge(new ComparableCollider(0), 1,
        (a, b) -> c.merge(new ComparableCollider(0), 1, (x, y) -> 1)));
    attempt(n + ".computeIfAbsent(empty bin, f computeIfAbsent same bin)", () -> {
      ConcurrentHashMap<Object, Object> d = new ConcurrentHashMap<>();
      return d.computeIfAbsent(new ComparableCollider(1),
          k -> d.computeIfAbsent(new ComparableCollider(2), x -> 2));
    });
    attempt(n + ".toString", () -> new java.util.TreeMap<>(c).toString());
  }

  // ---- keys whose methods block ----

  /** Counts calls of each method on the application's threads; each call blocks for a while. */
  static final class SlowKey {
    static final AtomicInteger HASH_APP = new AtomicInteger();
    static final AtomicInteger HASH_OTHER = new AtomicInteger();
    static final AtomicInteger EQUALS = new AtomicInteger();
    static final AtomicInteger TO_STRING = new AtomicInteger();
    static volatile long blockMillis = 1000;
    final int id;

    SlowKey(int id) {
      this.id = id;
    }

    private static boolean appThread() {
      return !Thread.currentThread().getName().startsWith("mapaudit");
    }

    @Override
    public int hashCode() {
      (appThread() ? HASH_APP : HASH_OTHER).incrementAndGet();
      sleep(blockMillis);
      return id;
    }

    @Override
    public boolean equals(Object o) {
      EQUALS.incrementAndGet();
      sleep(blockMillis);
      return o instanceof SlowKey && ((SlowKey) o).id == id;
    }

    @Override
    public String toString() {
      TO_STRING.incrementAndGet();
      sleep(blockMillis);
      return "slow-" + id;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void blocking() {
    List<Supplier<Map<Object, Object>>> all = new ArrayList<>(SEQUENTIAL);
    all.add(ConcurrentHashMap::new);
    List<String> names = new ArrayList<>(SEQUENTIAL_NAMES);
    names.add("ConcurrentHashMap");
    long block = SlowKey.blockMillis;
    for (int i = 0; i < all.size(); i++) {
      String n = names.get(i);
      Map<Object, Object> m = all.get(i).get();
      int hashBefore = SlowKey.HASH_APP.get();
      int equalsBefore = SlowKey.EQUALS.get();
      SlowKey a = new SlowKey(1);
      long start = System.nanoTime();
      m.put(a, "first");
      // Same hash, other instance: HashMap and ConcurrentHashMap call equals once.
      Object got = m.get(new SlowKey(1));
      Object missing = m.get(new SlowKey(2));
      long elapsed = (System.nanoTime() - start) / 1_000_000;
      int hashCalls = SlowKey.HASH_APP.get() - hashBefore;
      int equalsCalls = SlowKey.EQUALS.get() - equalsBefore;
      System.out.println(n + " slow key: got=" + got + " missing=" + missing + " hashCode calls="
          + hashCalls + " equals calls=" + equalsCalls);
      long blocked = (long) (hashCalls + equalsCalls) * block;
      System.err.println("TIMING " + n + " slow-key calls took " + elapsed + " ms, of which "
          + blocked + " ms the keys' own blocking: caller's extra delay " + (elapsed - blocked)
          + " ms");
    }
    System.out.println("slow key toString calls: " + SlowKey.TO_STRING.get());
    System.err.println("INFO slow key hashCode calls on agent threads: "
        + SlowKey.HASH_OTHER.get());
  }

  // ---- very large maps ----

  static void big(int n) {
    for (String type : new String[] {"HashMap", "ConcurrentHashMap"}) {
      long start = System.nanoTime();
      Map<Integer, Integer> m = type.equals("HashMap") ? new HashMap<>() : new ConcurrentHashMap<>();
      for (int i = 0; i < n; i++) {
        m.put(i, i);
      }
      long sum = 0;
      for (int i = 0; i < n; i++) {
        sum += m.get(i);
      }
      long absent = 0;
      for (int i = n; i < n + 1000; i++) {
        absent += m.containsKey(i) ? 1 : 0;
      }
      int size = m.size();
      long iterated = 0;
      for (Map.Entry<Integer, Integer> e : m.entrySet()) {
        iterated += e.getKey() - e.getValue() + 1;
      }
      for (int i = 0; i < n; i += 2) {
        m.remove(i);
      }
      System.out.println(type + " of " + n + ": size=" + size + " sum=" + sum + " absent="
          + absent + " iterated=" + iterated + " afterRemoval=" + m.size());
      System.err.println("TIMING " + type + " of " + n + " took "
          + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
  }
}

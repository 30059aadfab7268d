package io.mapaudit.agent.instrument;

/**
 * The advice inlined into the map and iterator classes: what {@link AdviceWriter} writes around
 * an instrumented method, by shape. Every call goes to the boot-loaded
 * {@code io.mapaudit.bootstrap.MapAccessDispatcher}; inlined code may reference only boot-visible
 * classes, so no agent class appears in it. Every call is wrapped in a handler that passes any
 * throwable to {@code AdviceErrors.record} and carries on, so the host's map call returns and
 * throws exactly what it would without the agent.
 *
 * <p>In Java, a {@link Shape#KEYED} method {@code V put(K key, V value)} becomes:
 * <pre>{@code
 * Object k = key, a = value;          // copies: what the method does to its parameters is unseen
 * long token = 0L;
 * try { token = MapAccessDispatcher.enter(this, PUT, k, a); } catch (Throwable t) { AdviceErrors.record(t); }
 * V result;
 * try {
 *   result = <original body, each return replaced by a jump to the exit below>;
 * } catch (Throwable thrown) {
 *   try { MapAccessDispatcher.exit(this, PUT, k, a, null, thrown, token); } catch (Throwable t) { AdviceErrors.record(t); }
 *   throw thrown;
 * }
 * try { MapAccessDispatcher.exit(this, PUT, k, a, result, null, token); } catch (Throwable t) { AdviceErrors.record(t); }
 * return result;
 * }</pre>
 * The other shapes differ only in the arguments passed; constructors get the exit call only, on
 * normal return.
 */
final class MapAdvice {
  private MapAdvice() {}

  /** What is passed to the dispatcher, and which of its entry points are called. */
  enum Shape {
    /** {@code enter(map, op, key, arg)} / {@code exit(map, op, key, arg, result, thrown, token)}:
     * methods whose first argument is a key (get, put, remove, compute, merge...). The second
     * argument, if any, is {@code arg}; a primitive result is boxed. */
    KEYED(true),
    /** {@code enter(map, op, null, null)} / {@code exit(map, op, null, null, null, thrown,
     * token)}: size, clear, putAll, iterator remove, concurrent iterator methods. */
    UNKEYED(true),
    /** {@code hasNext} of a HashMap iterator: {@code iteratorHasNextExit(map, this,
     * this.expectedModCount, hasNext, token)}, also the end-of-iteration modification check. */
    HAS_NEXT(true),
    /** {@code nextNode} of a HashMap iterator: {@code iteratorNextExit(map, this, thrown, token)};
     * a thrown {@code ConcurrentModificationException} is a modification during iteration. */
    NEXT(true),
    /** Map constructors: {@code constructed(this)} on return. */
    CONSTRUCTED(false),
    /** Iterator constructors: {@code iteratorCreated(map)} on return. */
    ITERATOR_CREATED(false);

    /** True when the method gets enter advice and exit advice on throw as well. */
    final boolean entered;

    Shape(boolean entered) {
      this.entered = entered;
    }
  }

  /** The field of an iterator that holds its map ({@code this$0} or {@code map}). */
  static final class MapField {
    final String owner;
    final String name;
    final String descriptor;

    MapField(String owner, String name, String descriptor) {
      this.owner = owner;
      this.name = name;
      this.descriptor = descriptor;
    }
  }
}

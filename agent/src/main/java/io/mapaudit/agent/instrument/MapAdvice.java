package io.mapaudit.agent.instrument;

import io.mapaudit.bootstrap.MapAccessDispatcher;
import io.mapaudit.bootstrap.MapOp;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Advice inlined into the map classes. Each body is one static call into the boot-loaded
 * {@link MapAccessDispatcher}; inlined code may reference only boot-visible classes, so no agent
 * class, lambda or logger appears here. Every method suppresses {@code Throwable}: the installer
 * routes suppressed throwables to {@code AdviceErrors}.
 */
final class MapAdvice {
  private MapAdvice() {}

  /** Methods whose first argument is a key: get, put, remove, compute, merge... */
  static final class KeyedOp {
    private KeyedOp() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object map, @OpCode int op, @Advice.Argument(0) Object key,
        @Advice.Argument(value = 1, optional = true) Object arg) {
      return MapAccessDispatcher.enter(map, op, key, arg);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable thrown, @Advice.Enter long token) {
      MapAccessDispatcher.exit(result, thrown, token);
    }
  }

  /**
   * Reads of {@code HashMap} and {@code LinkedHashMap} ({@code get}, {@code getOrDefault},
   * {@code containsKey}): enter advice only. Nothing these reads return is needed at their exit:
   * a sampled one is handed to the sink whole, which confirms a miss itself, as it always had to
   * (SafeKeys). The exit cost every call the wrapped body, the token and the result: with it the
   * advised {@code HashMap.get} was 85 bytes, past {@code MaxInlineSize} (35), so callers where
   * it was not hot called it instead of inlining it. Not for {@code ConcurrentHashMap}, whose
   * reads arm key watches with what they returned (check-then-act).
   */
  static final class KeyedRead {
    private KeyedRead() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object map, @OpCode int op, @Advice.Argument(0) Object key,
        @Advice.Argument(value = 1, optional = true) Object arg) {
      MapAccessDispatcher.read(map, op, key, arg);
    }
  }

  /** Methods with no key and no result the agent needs: size, clear, putAll. */
  static final class UnkeyedOp {
    private UnkeyedOp() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object map, @OpCode int op) {
      return MapAccessDispatcher.enter(map, op, null, null);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Thrown Throwable thrown, @Advice.Enter long token) {
      MapAccessDispatcher.exit(null, thrown, token);
    }
  }

  /** Every constructor: sampled constructions name the map by its allocation site. */
  static final class Constructor {
    private Constructor() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map) {
      MapAccessDispatcher.constructed(map);
    }
  }

  /** {@code HashIterator}/{@code LinkedHashIterator} constructor (outer map in {@code this$0}). */
  static final class IteratorCreated {
    private IteratorCreated() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("this$0") Object map) {
      MapAccessDispatcher.iteratorCreated(map);
    }
  }

  /**
   * {@code hasNext} of a HashMap iterator: the end-of-iteration modification check only. Not
   * sampled: it reads the iterator's own field, never the map, so it can neither race nor be hot;
   * a draw per entry cost Jackson's map serialisation 7 % of its time (BENCHMARKS.md).
   */
  static final class IteratorHasNext {
    private IteratorHasNext() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("this$0") Object map, @Advice.This Object iterator,
        @Advice.FieldValue("expectedModCount") int expectedModCount,
        @Advice.Return boolean hasNext) {
      MapAccessDispatcher.iteratorHasNextExit(map, iterator, expectedModCount, hasNext);
    }
  }

  /**
   * {@code nextNode} of a HashMap iterator: checked against armed watch slots, so that an
   * iteration overlapping another thread's write is seen entry by entry, but not sampled.
   * Iterations are sampled once, at the iterator's creation: a draw per entry was a third of the
   * draws of Jackson's map serialisation (BENCHMARKS.md, seventh pass). A thrown
   * {@code ConcurrentModificationException} is a modification during iteration.
   */
  static final class IteratorNext {
    private IteratorNext() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("this$0") Object map) {
      MapAccessDispatcher.checked(map, MapOp.ITERATOR_NEXT);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.FieldValue("this$0") Object map, @Advice.This Object iterator,
        @Advice.Thrown Throwable thrown) {
      MapAccessDispatcher.iteratorNextExit(map, iterator, thrown);
    }
  }

  /** Other iterator methods of HashMap iterators ({@code remove}). */
  static final class IteratorOp {
    private IteratorOp() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.FieldValue("this$0") Object map, @OpCode int op) {
      return MapAccessDispatcher.enter(map, op, null, null);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Thrown Throwable thrown, @Advice.Enter long token) {
      MapAccessDispatcher.exit(null, thrown, token);
    }
  }

  /**
   * {@code remove} of a ConcurrentHashMap iterator (outer map in the {@code map} field). Its
   * {@code next} carries no advice: the concurrent map's watch slots are key watches, which only
   * writes meet, and its iterations are sampled at creation; there is no CME to catch.
   */
  static final class ConcurrentIteratorOp {
    private ConcurrentIteratorOp() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.FieldValue("map") Object map, @OpCode int op) {
      return MapAccessDispatcher.enter(map, op, null, null);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Thrown Throwable thrown, @Advice.Enter long token) {
      MapAccessDispatcher.exit(null, thrown, token);
    }
  }

  /** ConcurrentHashMap {@code BaseIterator} constructor. */
  static final class ConcurrentIteratorCreated {
    private ConcurrentIteratorCreated() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("map") Object map) {
      MapAccessDispatcher.iteratorCreated(map);
    }
  }
}

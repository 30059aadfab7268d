package io.mapaudit.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;

import io.mapaudit.bootstrap.MapOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * Iteration over {@code keySet()}, {@code values()} and {@code entrySet()} of the three map
 * types: iterator creation and {@code remove} are sampled operations, so an iteration is sampled
 * (or not) as a whole; {@code next} of the non-concurrent maps is only checked against armed watch
 * slots, and {@code hasNext} (which never touches the map) carries only the end-of-iteration check.
 *
 * <p>{@code HashMap} and {@code LinkedHashMap} iterators also carry the modification-during-
 * iteration check ({@code expectedModCount} against the map's {@code modCount}); the concurrent
 * map's weakly consistent iterators are only counted.
 */
public final class IteratorInstrumentation {
  private static final List<String> HASH_ITERATORS = Arrays.asList(
      "java.util.HashMap$HashIterator", "java.util.LinkedHashMap$LinkedHashIterator");
  private static final String CONCURRENT_BASE = "java.util.concurrent.ConcurrentHashMap$BaseIterator";

  private IteratorInstrumentation() {}

  /** Iterator type name → the advice visitors for it. */
  static Map<String, List<AsmVisitorWrapper>> visitorsByType() {
    Map<String, List<AsmVisitorWrapper>> out = new LinkedHashMap<>();
    for (String type : HASH_ITERATORS) {
      List<AsmVisitorWrapper> v = new ArrayList<>();
      v.add(AdviceFactory.advice(MapAdvice.IteratorCreated.class, isConstructor()));
      v.add(AdviceFactory.advice(MapAdvice.IteratorHasNext.class,
          MapInstrumentation.method("hasNext", 0)));
      v.add(AdviceFactory.advice(MapAdvice.IteratorNext.class,
          MapInstrumentation.method("nextNode", 0)));
      v.add(AdviceFactory.advice(MapAdvice.IteratorOp.class, MapOp.ITERATOR_REMOVE,
          MapInstrumentation.method("remove", 0)));
      out.put(type, v);
    }
    List<AsmVisitorWrapper> base = new ArrayList<>();
    base.add(AdviceFactory.advice(MapAdvice.ConcurrentIteratorCreated.class, isConstructor()));
    base.add(AdviceFactory.advice(MapAdvice.ConcurrentIteratorOp.class, MapOp.ITERATOR_REMOVE,
        MapInstrumentation.method("remove", 0)));
    out.put(CONCURRENT_BASE, base);
    return out;
  }
}

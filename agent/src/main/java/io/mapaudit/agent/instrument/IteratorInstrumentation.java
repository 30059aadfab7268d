package io.mapaudit.agent.instrument;

import io.mapaudit.bootstrap.MapOp;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Iteration over {@code keySet()}, {@code values()} and {@code entrySet()} of the three map
 * types: iterator creation, {@code next}, {@code hasNext} and {@code remove}.
 *
 * <p>{@code HashMap} and {@code LinkedHashMap} iterators also carry the modification-during-
 * iteration check ({@code expectedModCount} against the map's {@code modCount}); the concurrent
 * map's weakly consistent iterators are only counted.
 */
public final class IteratorInstrumentation {
  private static final String HASH_ITERATOR = "java/util/HashMap$HashIterator";
  private static final String LINKED_ITERATOR = "java/util/LinkedHashMap$LinkedHashIterator";
  private static final String CONCURRENT_BASE = "java/util/concurrent/ConcurrentHashMap$BaseIterator";
  private static final List<String> CONCURRENT_NEXT = Arrays.asList(
      "java/util/concurrent/ConcurrentHashMap$KeyIterator",
      "java/util/concurrent/ConcurrentHashMap$ValueIterator",
      "java/util/concurrent/ConcurrentHashMap$EntryIterator");

  private IteratorInstrumentation() {}

  /** Iterator type (internal name) → its rules. */
  static Map<String, List<AdviceRule>> rulesByType() {
    Map<String, List<AdviceRule>> out = new LinkedHashMap<>();
    out.put(HASH_ITERATOR, hashIterator(new MapAdvice.MapField(HASH_ITERATOR, "this$0",
        "Ljava/util/HashMap;")));
    out.put(LINKED_ITERATOR, hashIterator(new MapAdvice.MapField(LINKED_ITERATOR, "this$0",
        "Ljava/util/LinkedHashMap;")));
    MapAdvice.MapField map = new MapAdvice.MapField(CONCURRENT_BASE, "map",
        "Ljava/util/concurrent/ConcurrentHashMap;");
    out.put(CONCURRENT_BASE, Collections.unmodifiableList(Arrays.asList(
        new AdviceRule(AdviceRule.CONSTRUCTOR, AdviceRule.ANY_ARGS,
            MapAdvice.Shape.ITERATOR_CREATED, MapOp.ITERATOR, map),
        new AdviceRule("hasNext", 0, MapAdvice.Shape.UNKEYED, MapOp.ITERATOR_HAS_NEXT, map),
        new AdviceRule("remove", 0, MapAdvice.Shape.UNKEYED, MapOp.ITERATOR_REMOVE, map))));
    for (String type : CONCURRENT_NEXT) {
      out.put(type, Collections.singletonList(
          new AdviceRule("next", 0, MapAdvice.Shape.UNKEYED, MapOp.ITERATOR_NEXT, map)));
    }
    return out;
  }

  private static List<AdviceRule> hashIterator(MapAdvice.MapField outer) {
    return Collections.unmodifiableList(Arrays.asList(
        new AdviceRule(AdviceRule.CONSTRUCTOR, AdviceRule.ANY_ARGS,
            MapAdvice.Shape.ITERATOR_CREATED, MapOp.ITERATOR, outer),
        new AdviceRule("hasNext", 0, MapAdvice.Shape.HAS_NEXT, MapOp.ITERATOR_HAS_NEXT, outer),
        new AdviceRule("nextNode", 0, MapAdvice.Shape.NEXT, MapOp.ITERATOR_NEXT, outer),
        new AdviceRule("remove", 0, MapAdvice.Shape.UNKEYED, MapOp.ITERATOR_REMOVE, outer)));
  }
}

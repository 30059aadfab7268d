package io.mapaudit.agent.instrument;

import io.mapaudit.bootstrap.MapOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The operations of {@code java.util.HashMap}, {@code java.util.LinkedHashMap} and
 * {@code java.util.concurrent.ConcurrentHashMap} that the agent instruments (DESIGN §3).
 *
 * <p>One rule list serves the three types: advice applies only to methods a type declares, so
 * {@code LinkedHashMap} gets its own {@code get}, {@code getOrDefault} and {@code clear} while its
 * inherited {@code put} runs {@code HashMap}'s instrumented code. Application subclasses are
 * covered the same way wherever they do not override a method.
 */
public final class MapInstrumentation {
  /** The map types, matched by exact name (no class-path scanning). */
  public static final List<String> TYPES = Collections.unmodifiableList(Arrays.asList(
      "java.util.HashMap", "java.util.LinkedHashMap", "java.util.concurrent.ConcurrentHashMap"));

  static final List<AdviceRule> RULES = rules();

  private MapInstrumentation() {}

  private static List<AdviceRule> rules() {
    List<AdviceRule> r = new ArrayList<>();
    keyed(r, "get", 1, MapOp.GET);
    keyed(r, "getOrDefault", 2, MapOp.GET_OR_DEFAULT);
    keyed(r, "containsKey", 1, MapOp.CONTAINS_KEY);
    keyed(r, "put", 2, MapOp.PUT);
    keyed(r, "putIfAbsent", 2, MapOp.PUT_IF_ABSENT);
    keyed(r, "remove", 1, MapOp.REMOVE);
    keyed(r, "remove", 2, MapOp.REMOVE_VALUE);
    keyed(r, "replace", 2, MapOp.REPLACE);
    keyed(r, "replace", 3, MapOp.REPLACE_VALUE);
    keyed(r, "compute", 2, MapOp.COMPUTE);
    keyed(r, "computeIfAbsent", 2, MapOp.COMPUTE_IF_ABSENT);
    keyed(r, "computeIfPresent", 2, MapOp.COMPUTE_IF_PRESENT);
    keyed(r, "merge", 3, MapOp.MERGE);
    r.add(new AdviceRule("putAll", 1, MapAdvice.Shape.UNKEYED, MapOp.PUT_ALL, null));
    r.add(new AdviceRule("clear", 0, MapAdvice.Shape.UNKEYED, MapOp.CLEAR, null));
    r.add(new AdviceRule("size", 0, MapAdvice.Shape.UNKEYED, MapOp.SIZE, null));
    r.add(new AdviceRule(AdviceRule.CONSTRUCTOR, AdviceRule.ANY_ARGS,
        MapAdvice.Shape.CONSTRUCTED, MapOp.CONSTRUCT, null));
    return Collections.unmodifiableList(r);
  }

  private static void keyed(List<AdviceRule> r, String name, int args, int op) {
    r.add(new AdviceRule(name, args, MapAdvice.Shape.KEYED, op, null));
  }
}

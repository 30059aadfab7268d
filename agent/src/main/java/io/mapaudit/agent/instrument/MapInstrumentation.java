package io.mapaudit.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mapaudit.bootstrap.MapOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

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

  private MapInstrumentation() {}

  /** The advice visitors of {@code type}, one of {@link #TYPES}. */
  static List<AsmVisitorWrapper> visitors(String type) {
    boolean concurrent = type.equals("java.util.concurrent.ConcurrentHashMap");
    List<AsmVisitorWrapper> v = operationVisitors(concurrent);
    // Not LinkedHashMap: each of its constructors runs one of HashMap's, whose advice already
    // sees the new map (with the subclass's type), so a second one only cost a second sampling
    // draw per map (Jackson builds one per JSON object).
    if (!type.equals("java.util.LinkedHashMap")) {
      v.add(AdviceFactory.advice(MapAdvice.Constructor.class, isConstructor()));
    }
    return v;
  }

  /**
   * The advice visitors of the map operations. The reads of the non-concurrent maps have enter
   * advice only ({@link MapAdvice.KeyedRead}); {@code ConcurrentHashMap}'s keep their exit, where
   * a sampled read arms a key watch with what it returned.
   */
  static List<AsmVisitorWrapper> operationVisitors(boolean concurrent) {
    Class<?> read = concurrent ? MapAdvice.KeyedOp.class : MapAdvice.KeyedRead.class;
    List<AsmVisitorWrapper> v = new ArrayList<>();
    v.add(AdviceFactory.advice(read, MapOp.GET, method("get", 1)));
    v.add(AdviceFactory.advice(read, MapOp.GET_OR_DEFAULT, method("getOrDefault", 2)));
    v.add(AdviceFactory.advice(read, MapOp.CONTAINS_KEY, method("containsKey", 1)));
    keyed(v, "put", 2, MapOp.PUT);
    keyed(v, "putIfAbsent", 2, MapOp.PUT_IF_ABSENT);
    keyed(v, "remove", 1, MapOp.REMOVE);
    keyed(v, "remove", 2, MapOp.REMOVE_VALUE);
    keyed(v, "replace", 2, MapOp.REPLACE);
    keyed(v, "replace", 3, MapOp.REPLACE_VALUE);
    keyed(v, "compute", 2, MapOp.COMPUTE);
    keyed(v, "computeIfAbsent", 2, MapOp.COMPUTE_IF_ABSENT);
    keyed(v, "computeIfPresent", 2, MapOp.COMPUTE_IF_PRESENT);
    keyed(v, "merge", 3, MapOp.MERGE);
    v.add(AdviceFactory.advice(MapAdvice.UnkeyedOp.class, MapOp.PUT_ALL, method("putAll", 1)));
    v.add(AdviceFactory.advice(MapAdvice.UnkeyedOp.class, MapOp.CLEAR, method("clear", 0)));
    v.add(AdviceFactory.advice(MapAdvice.UnkeyedOp.class, MapOp.SIZE, method("size", 0)));
    return v;
  }

  private static void keyed(List<AsmVisitorWrapper> v, String name, int args, int op) {
    v.add(AdviceFactory.advice(MapAdvice.KeyedOp.class, op, method(name, args)));
  }

  static ElementMatcher.Junction<MethodDescription> method(String name, int args) {
    return named(name).and(takesArguments(args)).and(not(isStatic())).and(not(isAbstract()));
  }
}

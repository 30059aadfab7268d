package io.mapaudit.agent.instrument;

import io.mapaudit.bootstrap.AdviceErrors;
import io.mapaudit.bootstrap.MapAccessDispatcher;
import io.mapaudit.bootstrap.MapAccessSink;
import io.mapaudit.bootstrap.MapOp;
import io.mapaudit.bootstrap.ModCounts;
import io.mapaudit.bootstrap.ReentrancyGuard;
import io.mapaudit.bootstrap.ThreadState;
import io.mapaudit.bootstrap.WatchSlots;
import java.util.ConcurrentModificationException;
import java.util.concurrent.ThreadLocalRandom;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Installs the map and iterator advice and removes it again on detach.
 *
 * <p>The JDK map classes are loaded long before any agent, so the advice goes in by
 * retransformation, which may change method bodies only: the advice adds no member, and matches
 * classes by exact name (no class-path scanning).
 */
public final class AgentInstaller {
  private AgentInstaller() {}

  /** The outcome of {@link #install}: the transformer to reset on detach, and what happened. */
  public static final class Installation {
    public final MapClassTransformer transformer;
    public final List<String> transformed;
    public final List<String> errors;
    public final long nanos;
    /** Time spent building the transformer, and in retransformation. */
    public final long adviceNanos;
    public final long installNanos;

    Installation(MapClassTransformer transformer, List<String> transformed,
        List<String> errors, long nanos, long adviceNanos, long installNanos) {
      this.transformer = transformer;
      this.transformed = transformed;
      this.errors = errors;
      this.nanos = nanos;
      this.adviceNanos = adviceNanos;
      this.installNanos = installNanos;
    }
  }

  /**
   * Opens {@code java.util} to the agent and to the boot-loaded dispatcher so that the iterator
   * check can read {@code HashMap.modCount} and the detectors {@code LinkedHashMap.accessOrder}.
   * Returns false (and the checks that need it stay off) when the JVM refuses.
   */
  public static boolean openJavaUtil(Instrumentation inst) {
    try {
      Module javaBase = HashMap.class.getModule();
      Set<Module> to = new HashSet<>();
      to.add(MapAccessDispatcher.class.getModule());
      to.add(AgentInstaller.class.getModule());
      Map<String, Set<Module>> opens = new HashMap<>();
      opens.put("java.util", to);
      opens.put("java.util.concurrent", to);
      inst.redefineModule(javaBase, Collections.emptySet(), Collections.emptyMap(), opens,
          Collections.emptySet(), Collections.emptyMap());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /*
   * Loads and initialises every boot-side class the advice path touches before the transformer
   * exists: class loading itself uses ConcurrentHashMap, so a class first loaded from inside
   * advice re-enters the advice while half-initialised (ClassCircularityError: ThrowingSinkTest
   * hit it before this existed). Also loads the iterator classes, so they are transformed now
   * rather than on some application thread later.
   */
  static void preloadAdvicePath() {
    ThreadState state = ReentrancyGuard.state();
    state.enterAgent();
    state.exitAgent();
    MapOp.name(0);
    AdviceErrors.count();
    WatchSlots.armed();
    WatchSlots.slot(0).map();
    ModCounts.available();
    MapAccessSink.NOOP.onConstructed(null, state);
    Object probe = new Object();
    MapAccessDispatcher.exit(probe, MapOp.GET, null, null, null, null,
        MapAccessDispatcher.enter(probe, MapOp.GET, null, null));
    MapAccessDispatcher.iteratorHasNextExit(probe, null, 0, true, 0L);
    MapAccessDispatcher.iteratorNextExit(probe, null, null, 0L);
    ThreadLocalRandom.current().nextInt(2);
    new ConcurrentModificationException().getClass();
    for (String name : new String[] {
        "java.util.concurrent.ConcurrentHashMap$KeyIterator",
        "java.util.concurrent.ConcurrentHashMap$ValueIterator",
        "java.util.concurrent.ConcurrentHashMap$EntryIterator",
        "java.util.HashMap$KeyIterator", "java.util.HashMap$ValueIterator",
        "java.util.HashMap$EntryIterator", "java.util.LinkedHashMap$LinkedKeyIterator",
        "java.util.LinkedHashMap$LinkedValueIterator",
        "java.util.LinkedHashMap$LinkedEntryIterator"}) {
      try {
        Class.forName(name, true, null);
      } catch (ClassNotFoundException e) {
        // A JDK without this class has nothing to transform for it.
      }
    }
  }

  /**
   * Installs the advice and retransforms the already loaded map classes. The sink must be
   * initialised already (the dispatcher may call it as soon as auditing is on).
   */
  public static Installation install(Instrumentation inst) {
    preloadAdvicePath();
    long start = System.nanoTime();
    List<String> types = new ArrayList<>();
    List<List<AdviceRule>> rules = new ArrayList<>();
    for (String t : MapInstrumentation.TYPES) {
      types.add(t.replace('.', '/'));
      rules.add(MapInstrumentation.RULES);
    }
    for (Map.Entry<String, List<AdviceRule>> e : IteratorInstrumentation.rulesByType().entrySet()) {
      types.add(e.getKey());
      rules.add(e.getValue());
    }
    MapClassTransformer transformer =
        new MapClassTransformer(types.toArray(new String[0]), rules);
    long adviceDone = System.nanoTime();
    inst.addTransformer(transformer, true);
    retransform(inst, transformer, loaded(inst, transformer));
    long end = System.nanoTime();
    return new Installation(transformer, transformer.transformed(), transformer.errors(),
        end - start, adviceDone - start, end - adviceDone);
  }

  /** The classes of the transformer that are loaded and modifiable (all, after the preload). */
  private static List<Class<?>> loaded(Instrumentation inst, MapClassTransformer transformer) {
    List<Class<?>> out = new ArrayList<>();
    for (String type : transformer.types()) {
      try {
        Class<?> c = Class.forName(type.replace('/', '.'), false, null);
        if (inst.isModifiableClass(c)) {
          out.add(c);
        }
      } catch (ClassNotFoundException e) {
        // A JDK without this class has nothing to transform for it.
      }
    }
    return out;
  }

  /*
   * One retransformation for all classes: one pass of the JVM's redefinition (a safepoint, a
   * deoptimisation of dependent code). Retransformation is all or nothing, so on failure each
   * class is retried alone and the one the JVM rejects is reported, the others instrumented.
   */
  private static void retransform(Instrumentation inst, MapClassTransformer transformer,
      List<Class<?>> classes) {
    if (classes.isEmpty()) {
      return;
    }
    try {
      inst.retransformClasses(classes.toArray(new Class<?>[0]));
      return;
    } catch (Throwable e) {
      if (classes.size() == 1) {
        transformer.failed(classes.get(0).getName(), e);
        return;
      }
    }
    for (Class<?> c : classes) {
      try {
        inst.retransformClasses(c);
      } catch (Throwable e) {
        transformer.failed(c.getName(), e);
      }
    }
  }

  /**
   * Removes the advice: the transformer is deregistered and the classes it changed are
   * retransformed to their original bytecode. Returns false when the transformer was not
   * installed.
   */
  public static boolean reset(Instrumentation inst, MapClassTransformer transformer) {
    boolean removed = inst.removeTransformer(transformer);
    List<Class<?>> classes = new ArrayList<>();
    for (String name : transformer.transformed()) {
      try {
        classes.add(Class.forName(name, false, null));
      } catch (ClassNotFoundException e) {
        // Not loaded: nothing to restore.
      }
    }
    if (!classes.isEmpty()) {
      try {
        inst.retransformClasses(classes.toArray(new Class<?>[0]));
      } catch (Throwable e) {
        transformer.errors().add("reset: " + e);
        return false;
      }
    }
    return removed;
  }
}

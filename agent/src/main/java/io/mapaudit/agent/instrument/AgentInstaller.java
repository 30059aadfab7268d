package io.mapaudit.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.mapaudit.bootstrap.AdviceErrors;
import io.mapaudit.bootstrap.DispatchGate;
import io.mapaudit.bootstrap.MapAccessDispatcher;
import io.mapaudit.bootstrap.MapAccessSink;
import io.mapaudit.bootstrap.MapOp;
import io.mapaudit.bootstrap.ModCounts;
import io.mapaudit.bootstrap.ReentrancyGuard;
import io.mapaudit.bootstrap.SampleDraw;
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
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the map and iterator advice with Byte Buddy and removes it again on detach.
 *
 * <p>JDK classes need three settings: {@code RETRANSFORMATION} (they are loaded long before any
 * agent), {@code disableClassFormatChanges()} (retransformation may not add members) and a
 * replaced ignore matcher (the default ignores every boot-loaded type, so {@code HashMap} would
 * never match; repeated {@code ignore} calls replace each other).
 */
public final class AgentInstaller {
  private AgentInstaller() {}

  /** The outcome of {@link #install}: the transformer to reset on detach, and what happened. */
  public static final class Installation {
    public final ResettableClassFileTransformer transformer;
    public final List<String> transformed;
    public final List<String> errors;
    public final long nanos;
    /** Time spent building advice, and in Byte Buddy's install/retransformation. */
    public final long adviceNanos;
    public final long installNanos;

    Installation(ResettableClassFileTransformer transformer, List<String> transformed,
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
   * check can read {@code HashMap.modCount} and the detectors {@code LinkedHashMap.accessOrder},
   * and exports {@code jdk.internal.misc} to the dispatcher's module for {@link SampleDraw}'s
   * access to the thread's seed word. Call before the first sampling draw: {@code SampleDraw}
   * decides once, at its initialisation. Returns false (the checks that need it stay off and
   * draws use {@code ThreadLocalRandom}) when the JVM refuses.
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
      Map<String, Set<Module>> exports = new HashMap<>();
      exports.put("jdk.internal.misc", Collections.singleton(MapAccessDispatcher.class.getModule()));
      inst.redefineModule(javaBase, Collections.emptySet(), exports, opens,
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
    SampleDraw.source();
    AdviceErrors.count();
    WatchSlots.armed();
    DispatchGate.word();
    WatchSlots.slot(0).map();
    ModCounts.available();
    MapAccessSink.NOOP.onConstructed(null, state);
    Object probe = new Object();
    MapAccessDispatcher.exit(null, null, MapAccessDispatcher.enter(probe, MapOp.GET, null, null));
    MapAccessDispatcher.iteratorHasNextExit(probe, null, 0, true);
    MapAccessDispatcher.checked(probe, MapOp.ITERATOR_NEXT);
    MapAccessDispatcher.iteratorNextExit(probe, null, null);
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
    List<String> transformed = new CopyOnWriteArrayList<>();
    List<String> errors = new CopyOnWriteArrayList<>();
    Map<String, List<AsmVisitorWrapper>> byType = new HashMap<>();
    for (String t : MapInstrumentation.TYPES) {
      byType.put(t, MapInstrumentation.visitors(t));
    }
    byType.putAll(IteratorInstrumentation.visitorsByType());
    long adviceDone = System.nanoTime();
    List<String> names = new ArrayList<>(byType.keySet());

    AgentBuilder builder = new AgentBuilder.Default(
            new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
        .with(new Listener(transformed, errors))
        // Replaces the default ignore matcher, which excludes all boot-loaded types.
        .ignore(not(namedOneOf(names.toArray(new String[0]))));
    for (Map.Entry<String, List<AsmVisitorWrapper>> e : byType.entrySet()) {
      List<AsmVisitorWrapper> visitors = e.getValue();
      builder = builder.type(net.bytebuddy.matcher.ElementMatchers.named(e.getKey()))
          .transform((b, type, loader, module, domain) -> visit(b, visitors));
    }
    long installStart = System.nanoTime();
    ResettableClassFileTransformer transformer = builder.installOn(inst);
    long end = System.nanoTime();
    return new Installation(transformer, transformed, errors, end - start, adviceDone - start,
        end - installStart);
  }

  private static DynamicType.Builder<?> visit(DynamicType.Builder<?> b,
      List<AsmVisitorWrapper> visitors) {
    for (AsmVisitorWrapper v : visitors) {
      b = b.visit(v);
    }
    return b;
  }

  /**
   * Removes the advice: the transformer is deregistered and the classes it changed are
   * retransformed to their original bytecode. Returns the number of classes restored.
   */
  public static boolean reset(Instrumentation inst, ResettableClassFileTransformer transformer) {
    return transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
  }

  /** Records what Byte Buddy transformed and what failed, for status, debug and tests. */
  private static final class Listener extends AgentBuilder.Listener.Adapter {
    private final List<String> transformed;
    private final List<String> errors;

    Listener(List<String> transformed, List<String> errors) {
      this.transformed = transformed;
      this.errors = errors;
    }

    /*
     * Transformation runs on whatever thread loads a class. Discovery/complete bracket every
     * transformation, so the map operations Byte Buddy itself performs are never recorded and
     * never re-enter the sink while a class on the advice path is being defined.
     */
    @Override
    public void onDiscovery(String typeName, ClassLoader loader, JavaModule module,
        boolean loaded) {
      ReentrancyGuard.state().enterAgent();
    }

    @Override
    public void onComplete(String typeName, ClassLoader loader, JavaModule module,
        boolean loaded) {
      ReentrancyGuard.state().exitAgent();
    }

    @Override
    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
        boolean loaded, DynamicType dynamicType) {
      transformed.add(type.getName());
    }

    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
        Throwable throwable) {
      errors.add(typeName + ": " + throwable);
    }
  }
}

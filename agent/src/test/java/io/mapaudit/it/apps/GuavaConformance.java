package io.mapaudit.it.apps;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.MapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import com.google.common.collect.testing.testers.CollectionAddAllTester;
import com.google.common.collect.testing.testers.CollectionAddTester;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import junit.framework.TestResult;
import junit.framework.TestSuite;

/**
 * Guava testlib's map conformance suites for the three instrumented map types, run inside a JVM
 * with the agent attached (GuavaConformanceIT). Prints the totals and the agent's suppressed-error
 * count; exits 0 only when every test passed.
 */
public final class GuavaConformance {
  private GuavaConformance() {}

  public static void main(String[] args) throws Exception {
    TestSuite all = new TestSuite("mapaudit conformance");
    all.addTest(plain("HashMap", HashMap::new, MapFeature.ALLOWS_NULL_KEYS,
        MapFeature.ALLOWS_NULL_VALUES, CollectionFeature.SERIALIZABLE));
    all.addTest(plain("LinkedHashMap", LinkedHashMap::new, MapFeature.ALLOWS_NULL_KEYS,
        MapFeature.ALLOWS_NULL_VALUES, CollectionFeature.KNOWN_ORDER,
        CollectionFeature.SERIALIZABLE));
    all.addTest(plain("LinkedHashMap[accessOrder]", () -> new LinkedHashMap<>(16, 0.75f, true),
        MapFeature.ALLOWS_NULL_KEYS, MapFeature.ALLOWS_NULL_VALUES,
        CollectionFeature.SERIALIZABLE));
    all.addTest(ConcurrentMapTestSuiteBuilder.using(generator(ConcurrentHashMap::new))
        .named("ConcurrentHashMap")
        // The JDK's CHM entry-set view supports add; Guava's TestsForMapsInJavaUtil suppresses
        // the same testers for it.
        .suppressing(CollectionAddTester.getAddUnsupportedNotPresentMethod(),
            CollectionAddAllTester.getAddAllUnsupportedNonePresentMethod(),
            CollectionAddAllTester.getAddAllUnsupportedSomePresentMethod())
        .withFeatures(MapFeature.GENERAL_PURPOSE, CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
            CollectionFeature.SERIALIZABLE, CollectionSize.ANY)
        .createTestSuite());
    TestResult result = junit.textui.TestRunner.run(all);
    long adviceErrors = adviceErrors();
    System.out.println("TESTS run=" + result.runCount() + " failures=" + result.failureCount()
        + " errors=" + result.errorCount());
    System.out.println("ADVICE_ERRORS " + adviceErrors);
    System.exit(result.wasSuccessful() && adviceErrors == 0 ? 0 : 1);
  }

  private static TestSuite plain(String name, Supplier<Map<String, String>> factory,
      com.google.common.collect.testing.features.Feature<?>... extra) {
    MapTestSuiteBuilder<String, String> b = MapTestSuiteBuilder.using(generator(factory))
        .named(name)
        .withFeatures(MapFeature.GENERAL_PURPOSE, MapFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION,
            CollectionFeature.SUPPORTS_ITERATOR_REMOVE, CollectionSize.ANY);
    b.withFeatures(extra);
    return b.createTestSuite();
  }

  private static TestStringMapGenerator generator(Supplier<? extends Map<String, String>> factory) {
    return new TestStringMapGenerator() {
      @Override
      protected Map<String, String> create(Map.Entry<String, String>[] entries) {
        Map<String, String> m = factory.get();
        for (Map.Entry<String, String> e : entries) {
          m.put(e.getKey(), e.getValue());
        }
        return m;
      }
    };
  }

  /** The agent's suppressed-error count; 0 without an agent. */
  private static long adviceErrors() throws Exception {
    try {
      Class<?> c = Class.forName("io.mapaudit.bootstrap.AdviceErrors", true, null);
      return (Long) c.getMethod("count").invoke(null);
    } catch (ClassNotFoundException noAgent) {
      return 0L;
    }
  }
}

package io.mapaudit.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Map operations as the agent sees them, one instrumented call per benchmark invocation (except
 * {@link #hashMapRemove}, which puts the key back). Run the same benchmarks under each agent
 * configuration (BenchMain interleaves them) and compare ratios, never absolute numbers.
 *
 * <p>{@code HashMap}/{@code LinkedHashMap} are per thread (they are not thread-safe); the
 * {@code ConcurrentHashMap} is shared by all benchmark threads, so at 2 threads it is contended
 * as in a real cache.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MapOpsBenchmark {
  static final int KEYS = 1024;
  static final int MASK = KEYS - 1;

  static String[] keys(String prefix) {
    String[] k = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      k[i] = prefix + i;
      k[i].hashCode(); // cached: the benchmark measures the map, not String.hashCode
    }
    return k;
  }

  static Integer[] values() {
    Integer[] v = new Integer[KEYS];
    for (int i = 0; i < KEYS; i++) {
      v[i] = i; // boxed once: no allocation inside the measured call
    }
    return v;
  }

  static Integer keepOld(Integer old, Integer given) {
    return old;
  }

  /** Per-thread maps and cursor. */
  @State(Scope.Thread)
  public static class ThreadMaps {
    final String[] present = keys("key-");
    final String[] absent = keys("absent-");
    final Integer[] values = values();
    Map<String, Integer> hashMap;
    Map<String, Integer> linkedHashMap;
    int i;

    @Setup
    public void setup() {
      AgentControl.prepare();
      hashMap = new HashMap<>();
      linkedHashMap = new LinkedHashMap<>();
      for (int k = 0; k < KEYS; k++) {
        hashMap.put(present[k], k);
        linkedHashMap.put(present[k], k);
      }
    }

    int next() {
      return i++ & MASK;
    }
  }

  /** The shared concurrent map. */
  @State(Scope.Benchmark)
  public static class SharedMap {
    final String[] present = keys("key-");
    ConcurrentHashMap<String, Integer> map;

    @Setup
    public void setup() {
      AgentControl.prepare();
      map = new ConcurrentHashMap<>();
      for (int k = 0; k < KEYS; k++) {
        map.put(present[k], k);
      }
    }
  }

  @Benchmark
  public Integer hashMapGetHit(ThreadMaps s) {
    return s.hashMap.get(s.present[s.next()]);
  }

  @Benchmark
  public Integer hashMapGetMiss(ThreadMaps s) {
    return s.hashMap.get(s.absent[s.next()]);
  }

  @Benchmark
  public Integer hashMapPut(ThreadMaps s) {
    int n = s.next();
    return s.hashMap.put(s.present[n], s.values[n]);
  }

  /** {@code remove} then {@code put} of the same key: the map keeps its size (2 operations). */
  @Benchmark
  public Integer hashMapRemove(ThreadMaps s) {
    int n = s.next();
    Integer v = s.hashMap.remove(s.present[n]);
    s.hashMap.put(s.present[n], s.values[n]);
    return v;
  }

  @Benchmark
  public Integer linkedHashMapGet(ThreadMaps s) {
    return s.linkedHashMap.get(s.present[s.next()]);
  }

  @Benchmark
  public Integer concurrentHashMapGet(ThreadMaps t, SharedMap s) {
    return s.map.get(s.present[t.next()]);
  }

  @Benchmark
  public Integer concurrentHashMapPut(ThreadMaps t, SharedMap s) {
    int n = t.next();
    return s.map.put(s.present[n], t.values[n]);
  }

  @Benchmark
  public Integer concurrentHashMapMerge(ThreadMaps t, SharedMap s) {
    int n = t.next();
    return s.map.merge(s.present[n], t.values[n], MapOpsBenchmark::keepOld);
  }
}

package io.mapaudit.bench;

import java.util.HashMap;
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
 * Map operations as the agent sees them. Run the same benchmarks with and without
 * {@code -javaagent} (scripts/bench.sh interleaves the configurations) and compare ratios.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MapOpsBenchmark {
  private static final int KEYS = 1024;
  private final String[] keys = new String[KEYS];
  private Map<String, Integer> hashMap;
  private Map<String, Integer> concurrentMap;
  private int i;

  @Setup
  public void setup() {
    hashMap = new HashMap<>();
    concurrentMap = new ConcurrentHashMap<>();
    for (int k = 0; k < KEYS; k++) {
      keys[k] = "key-" + k;
      hashMap.put(keys[k], k);
      concurrentMap.put(keys[k], k);
    }
  }

  private String nextKey() {
    return keys[i++ & (KEYS - 1)];
  }

  @Benchmark
  public Integer hashMapGet() {
    return hashMap.get(nextKey());
  }

  @Benchmark
  public Integer hashMapPut() {
    String k = nextKey();
    return hashMap.put(k, i);
  }

  @Benchmark
  public Integer concurrentHashMapGet() {
    return concurrentMap.get(nextKey());
  }

  @Benchmark
  public Integer concurrentHashMapPut() {
    String k = nextKey();
    return concurrentMap.put(k, i);
  }
}

package io.mapaudit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A noise-robust counterpart of the JMH map benchmarks for a shared machine: the calling
 * thread's CPU time (not wall time) per {@code get} hit over 20 M operations, best of 8 timed
 * repetitions after 4 warm-up ones. Time the thread spends descheduled by other processes is not
 * counted, which JMH's wall-clock ratios cannot avoid. Prints ns/op.
 *
 * <p>{@code CpuTimeCheck hashMap|concurrentHashMap}
 */
public final class CpuTimeCheck {
  private static volatile int sink;

  private CpuTimeCheck() {}

  public static void main(String[] args) {
    String[] keys = MapOpsBenchmark.keys("key-");
    Map<String, Integer> m = args[0].equals("concurrentHashMap") ? new ConcurrentHashMap<>()
        : new HashMap<>();
    for (int i = 0; i < keys.length; i++) {
      m.put(keys[i], i);
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int n = 20_000_000;
    double best = Double.MAX_VALUE;
    for (int r = 0; r < 12; r++) {
      long c0 = mx.getCurrentThreadCpuTime();
      int acc = 0;
      for (int i = 0; i < n; i++) {
        acc += m.get(keys[i & MapOpsBenchmark.MASK]);
      }
      long c1 = mx.getCurrentThreadCpuTime();
      sink = acc;
      if (r >= 4) {
        best = Math.min(best, (c1 - c0) / (double) n);
      }
    }
    System.out.println(best);
  }
}

package io.mapaudit.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * The memory measurement, run in a forked JVM with and without the agent: a workload, then
 * "heapAfterGc=BYTES" (heap used after full collections, once the agent's drainer had time to
 * process what it sampled) and "ready"; it then waits for its standard input to close so that
 * the harness can take a class histogram. The difference with the run without the agent is what
 * the agent holds.
 *
 * <ul>
 *   <li>{@code short-lived}: 10 M maps, each created, used (put, get, containsKey) and dropped.
 *   <li>{@code distinct-keys}: one HashMap that receives 1 M distinct keys (put then get each);
 *       the map stays reachable during the measurement.
 * </ul>
 */
public final class MemoryWorkload {
  private static volatile Object keep;

  private MemoryWorkload() {}

  public static void main(String[] args) throws Exception {
    String scenario = args.length > 0 ? args[0] : "short-lived";
    long sink = 0;
    if (scenario.equals("short-lived")) {
      for (int i = 0; i < 10_000_000; i++) {
        Map<Integer, Integer> m = new HashMap<>();
        Integer k = i & 1023;
        m.put(k, i);
        sink += m.get(k);
        if (m.containsKey(-1)) {
          sink++;
        }
      }
    } else if (scenario.equals("distinct-keys")) {
      Map<String, Integer> m = new HashMap<>();
      for (int i = 0; i < 1_000_000; i++) {
        m.put("key-" + i, i);
      }
      for (int i = 0; i < 1_000_000; i++) {
        sink += m.get("key-" + i);
      }
      keep = m;
    } else {
      throw new IllegalArgumentException("unknown scenario " + scenario);
    }
    // The drainer runs at its own pace: give it time to drain every ring and age the maps.
    Thread.sleep(2_000);
    System.out.println("heapAfterGc=" + heapAfterGc() + " sink=" + sink);
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // Wait for the harness's histogram.
    }
    if (keep == null) {
      System.out.println("dropped");
    }
  }

  static long heapAfterGc() throws InterruptedException {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      best = Math.min(best, mem.getHeapMemoryUsage().getUsed());
    }
    return best;
  }
}

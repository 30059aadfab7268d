package io.mapaudit.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A long-running service for the attach/detach cycle tests (AttachCyclesIT,
 * scripts/attach-cycles.sh), driven over standard input:
 * <ul>
 *   <li>{@code work N}: N map operations on each of 4 persistent pool threads (their per-thread
 *       agent state outlives a detach if anything does); prints {@code DONE}.
 *   <li>{@code bench N}: N get/put pairs on one thread, best of 5; prints {@code BENCH <ops/ms>}.
 *   <li>{@code stats}: after a full GC, {@code STATS classes=.. totalLoaded=.. unloaded=..
 *       metaspace=.. heap=.. threads=.. agentThreads=.. hooks=..} (hooks needs
 *       {@code --add-opens java.base/java.lang=ALL-UNNAMED}; -1 without).
 *   <li>{@code exit}.
 * </ul>
 */
public final class CycleProgram {
  private CycleProgram() {}

  public static void main(String[] args) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "service-worker");
      t.setDaemon(true);
      return t;
    });
    Map<Integer, Integer> shared = new ConcurrentHashMap<>();
    System.out.println("READY " + ProcessHandle.current().pid());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] cmd = line.trim().split(" ");
      switch (cmd[0]) {
        case "work": {
          int n = Integer.parseInt(cmd[1]);
          List<Future<Long>> done = new ArrayList<>();
          for (int t = 0; t < 4; t++) {
            done.add(pool.submit(() -> {
              Map<Integer, Integer> own = new HashMap<>();
              long sum = 0;
              for (int i = 0; i < n; i++) {
                own.put(i & 255, i);
                shared.merge(i & 63, 1, Integer::sum);
                sum += own.get(i & 255);
              }
              return sum;
            }));
          }
          long sum = 0;
          for (Future<Long> f : done) {
            sum += f.get();
          }
          System.out.println("DONE " + sum);
          break;
        }
        case "bench":
          System.out.println("BENCH " + bench(Integer.parseInt(cmd[1])));
          break;
        case "stats":
          System.out.println(stats());
          break;
        case "exit":
          System.out.println("BYE");
          return;
        default:
          System.out.println("UNKNOWN " + line);
      }
    }
  }

  static long sink;

  /** Best of five runs of n get/put pairs on a 1,024-key HashMap, in operations per ms. */
  static long bench(int n) {
    Map<Integer, Integer> m = new HashMap<>();
    for (int i = 0; i < 1024; i++) {
      m.put(i, i);
    }
    long best = 0;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      long s = 0;
      for (int i = 0; i < n; i++) {
        m.put(i & 1023, i);
        s += m.get((i * 7) & 1023);
      }
      sink += s;
      long ms = Math.max(1, (System.nanoTime() - start) / 1_000_000);
      best = Math.max(best, 2L * n / ms);
    }
    return best;
  }

  static String stats() {
    System.gc();
    System.gc();
    ClassLoadingMXBean cl = ManagementFactory.getClassLoadingMXBean();
    long metaspace = -1;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getName().equals("Metaspace")) {
        metaspace = p.getUsage().getUsed();
      }
    }
    int agentThreads = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("mapaudit")) {
        agentThreads++;
      }
    }
    return "STATS classes=" + cl.getLoadedClassCount() + " totalLoaded="
        + cl.getTotalLoadedClassCount() + " unloaded=" + cl.getUnloadedClassCount()
        + " metaspace=" + metaspace
        + " heap=" + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()
        + " threads=" + Thread.activeCount() + " agentThreads=" + agentThreads
        + " hooks=" + shutdownHooks();
  }

  private static int shutdownHooks() {
    try {
      Class<?> c = Class.forName("java.lang.ApplicationShutdownHooks");
      Field f = c.getDeclaredField("hooks");
      f.setAccessible(true);
      synchronized (c) {
        Object hooks = f.get(null);
        return hooks == null ? 0 : ((Map<?, ?>) hooks).size();
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }
}

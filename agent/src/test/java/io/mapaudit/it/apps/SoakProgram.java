package io.mapaudit.it.apps;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load for the bounds tests (BoundsIT) and the soak script (scripts/soak.sh):
 * <ul>
 *   <li>{@code load THREADS SECONDS}: threads hammer a shared ConcurrentHashMap and a map of
 *       their own over a fixed key space; once a second the heap used after a full GC is printed
 *       ({@code HEAP <s> <bytes>}): the application's data stays the same size, so growth is the
 *       agent's.
 *   <li>{@code churn COUNT}: COUNT short-lived HashMaps, a few operations each.
 *   <li>{@code keys COUNT}: one HashMap with COUNT distinct keys, each written and read.
 * </ul>
 * Ends with {@code HEAP end <bytes>}, {@code METASPACE <bytes>} and {@code DONE <ops>}.
 */
public final class SoakProgram {
  private SoakProgram() {}

  public static void main(String[] args) throws Exception {
    long ops;
    switch (args[0]) {
      case "load":
        ops = load(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        break;
      case "churn":
        ops = churn(Long.parseLong(args[1]));
        break;
      case "keys":
        ops = keys(Integer.parseInt(args[1]));
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
    System.out.println("HEAP end " + heapAfterGc());
    System.out.println("METASPACE " + metaspace());
    System.out.println("DONE " + ops);
  }

  static long load(int threads, int seconds) throws Exception {
    Map<Integer, Long> shared = new ConcurrentHashMap<>();
    LongAdder ops = new LongAdder();
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      final int id = t;
      Thread w = new Thread(() -> {
        Map<Integer, Long> own = new HashMap<>();
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        long n = 0;
        int k = id;
        while ((n & 1023) != 0 || System.nanoTime() < end) {
          k = (k * 1103515245 + 12345) & 1023;
          shared.merge(k, 1L, Long::sum);
          own.put(k, n);
          own.get(k ^ 1);
          shared.get(k ^ 2);
          n += 4;
        }
        ops.add(n);
      }, "soak-" + t);
      workers.add(w);
      w.start();
    }
    start.await();
    for (int s = 1; s <= seconds; s++) {
      long wake = end - TimeUnit.SECONDS.toNanos(seconds - s);
      long left;
      while ((left = wake - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.sleep(left);
      }
      System.out.println("HEAP " + s + " " + heapAfterGc());
    }
    for (Thread w : workers) {
      w.join();
    }
    return ops.sum();
  }

  static long churn(long count) {
    long sum = 0;
    for (long i = 0; i < count; i++) {
      Map<String, Long> m = new HashMap<>();
      m.put("a", i);
      sum += m.get("a");
      if (i % (count / 10 == 0 ? 1 : count / 10) == 0) {
        System.out.println("HEAP churn-" + i + " " + heapAfterGc());
      }
    }
    return sum;
  }

  static long keys(int count) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < count; i++) {
      m.put("key-" + i, i);
    }
    long sum = 0;
    for (int i = 0; i < count; i++) {
      sum += m.get("key-" + i);
    }
    System.out.println("SIZE " + m.size());
    System.out.println("HEAP with-map " + heapAfterGc());
    return sum;
  }

  static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static long metaspace() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getName().equals("Metaspace")) {
        return p.getUsage().getUsed();
      }
    }
    return -1;
  }
}

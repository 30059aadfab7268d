package io.mapaudit.it.apps;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;

/**
 * A Zipf(1.0) read workload over a fixed key set on one ConcurrentHashMap from 2 threads, with
 * fixed seeds (HeatIT). Prints the true per-key counts of the top 20 keys as {@code TRUE key n}.
 */
public final class ZipfWorkload {
  private ZipfWorkload() {}

  public static void main(String[] args) throws Exception {
    int keys = Integer.parseInt(args[0]);
    long opsPerThread = Long.parseLong(args[1]);
    String[] names = new String[keys];
    Map<String, Integer> catalog = new ConcurrentHashMap<>();
    for (int i = 0; i < keys; i++) {
      names[i] = "sku-" + i;
      catalog.put(names[i], i);
    }
    double[] cdf = new double[keys];
    double sum = 0;
    for (int i = 0; i < keys; i++) {
      sum += 1.0 / (i + 1);
      cdf[i] = sum;
    }
    int[] draws = new int[1 << 20];
    Random rnd = new Random(42);
    for (int d = 0; d < draws.length; d++) {
      double u = rnd.nextDouble() * sum;
      int lo = 0;
      int hi = keys - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cdf[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      draws[d] = lo;
    }
    long[] truth = new long[keys];
    long full = opsPerThread / draws.length;
    int rest = (int) (opsPerThread % draws.length);
    for (int d = 0; d < draws.length; d++) {
      truth[draws[d]] += 2 * (full + (d < rest ? 1 : 0));
    }
    CyclicBarrier start = new CyclicBarrier(2);
    Thread[] ts = new Thread[2];
    long[] sink = new long[2];
    for (int t = 0; t < 2; t++) {
      int me = t;
      ts[t] = new Thread(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        long acc = 0;
        for (long i = 0; i < opsPerThread; i++) {
          acc += catalog.get(names[draws[(int) (i & (draws.length - 1))]]);
        }
        sink[me] = acc;
      }, "zipf-" + t);
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    Integer[] order = new Integer[keys];
    for (int i = 0; i < keys; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Long.compare(truth[b], truth[a]));
    for (int i = 0; i < 20; i++) {
      System.out.println("TRUE " + names[order[i]] + " " + truth[order[i]]);
    }
    System.out.println("DONE " + (sink[0] + sink[1]));
  }
}

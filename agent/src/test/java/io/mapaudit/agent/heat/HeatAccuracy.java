package io.mapaudit.agent.heat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Measurement, not a test (scripts/heat-accuracy.sh): top-k recall and count error of the
 * agent's Space-Saving summary on a Zipf(1.0) stream of 10 M operations over 1 M keys, sampled 1
 * in N per operation at random as the agent's per-thread countdown does, for m = 128 (the agent's
 * default) and m = 1024.
 */
public final class HeatAccuracy {
  private HeatAccuracy() {}

  public static void main(String[] args) {
    int keys = 1_000_000;
    long ops = 10_000_000L;
    double[] cdf = new double[keys];
    double sum = 0;
    for (int i = 0; i < keys; i++) {
      sum += 1.0 / (i + 1);
      cdf[i] = sum;
    }
    SplittableRandom rnd = new SplittableRandom(2026);
    int[] stream = new int[(int) ops];
    long[] truth = new long[keys];
    for (int i = 0; i < ops; i++) {
      double u = rnd.nextDouble() * sum;
      int r = Arrays.binarySearch(cdf, u);
      int k = r >= 0 ? r : -r - 1;
      stream[i] = Math.min(k, keys - 1);
      truth[stream[i]]++;
    }
    Integer[] order = new Integer[keys];
    for (int i = 0; i < keys; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(truth[b], truth[a]));
    System.out.printf("%-9s %-6s %-12s %-12s %-22s %-22s%n", "sampling", "m", "recall@10",
        "recall@100", "top-10 max count err", "top-100 mean count err");
    for (int m : new int[] {128, 256, 512, 1024}) {
      for (int sampling : new int[] {1, 64, 1024}) {
        HotKeySketch sketch = new HotKeySketch(m);
        SplittableRandom s = new SplittableRandom(7);
        int countdown = 1;
        for (int i = 0; i < ops; i++) {
          if (--countdown > 0) {
            continue;
          }
          countdown = sampling <= 1 ? 1 : 1 + s.nextInt(2 * sampling - 1);
          sketch.add("k" + stream[i], 1);
        }
        List<HotKey> top = sketch.top(100);
        System.out.printf("%-9d %-6d %-12.2f %-12.2f %-22s %-22s%n", sampling, m,
            recall(top, order, 10), recall(top, order, 100), maxErr(top, truth, 10, sampling),
            meanErr(top, truth, 100, sampling));
      }
    }
  }

  private static double recall(List<HotKey> top, Integer[] order, int k) {
    Set<String> reported = new HashSet<>();
    for (int i = 0; i < Math.min(k, top.size()); i++) {
      reported.add(top.get(i).key());
    }
    int hit = 0;
    for (int i = 0; i < k; i++) {
      hit += reported.contains("k" + order[i]) ? 1 : 0;
    }
    return hit / (double) k;
  }

  private static String maxErr(List<HotKey> top, long[] truth, int k, int sampling) {
    double worst = 0;
    for (int i = 0; i < Math.min(k, top.size()); i++) {
      HotKey h = top.get(i);
      long t = truth[Integer.parseInt(h.key().substring(1))];
      worst = Math.max(worst, Math.abs(h.count() * (double) sampling - t) / t);
    }
    return String.format("%.1f %%", worst * 100);
  }

  private static String meanErr(List<HotKey> top, long[] truth, int k, int sampling) {
    double total = 0;
    int n = Math.min(k, top.size());
    for (int i = 0; i < n; i++) {
      HotKey h = top.get(i);
      long t = truth[Integer.parseInt(h.key().substring(1))];
      total += Math.abs(h.count() * (double) sampling - t) / t;
    }
    return String.format("%.1f %%", n == 0 ? 0 : total / n * 100);
  }
}

package io.mapaudit.agent.heat;

import java.util.Arrays;
import java.util.SplittableRandom;

/** A deterministic Zipf(s) sampler over ranks {@code 0..n-1}, by inverse CDF. */
final class ZipfStream {
  private final double[] cdf;
  private final SplittableRandom random;

  ZipfStream(int n, double s, long seed) {
    cdf = new double[n];
    double sum = 0;
    for (int rank = 0; rank < n; rank++) {
      sum += 1.0 / Math.pow(rank + 1, s);
      cdf[rank] = sum;
    }
    for (int rank = 0; rank < n; rank++) {
      cdf[rank] /= sum;
    }
    random = new SplittableRandom(seed);
  }

  /** The next rank; rank 0 is the most frequent. */
  int next() {
    int i = Arrays.binarySearch(cdf, random.nextDouble());
    return Math.min(i >= 0 ? i : -i - 1, cdf.length - 1);
  }
}

package io.mapaudit.demo;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Product catalog under a skewed load: ~10 000 products in a {@code ConcurrentHashMap}, requested
 * with Zipf(1.0) popularity plus a flash sale on {@code product-1}, which then takes about a third
 * of all lookups ({@link ZipfSampler#FLASH_SALE_SHARE} + Zipf's own tenth) and makes one key the
 * hot spot. Not a bug: the code is the same in fixed mode; mapaudit reports the hot key.
 */
final class ProductCatalog {

  static final int PRODUCTS = 10_000;
  static final String HOTTEST = productId(1);

  record Product(String id, String name, long priceCents) {}

  private final ConcurrentHashMap<String, Product> products = new ConcurrentHashMap<>();
  private final LongAdder lookups = new LongAdder();
  private final LongAdder hottestLookups = new LongAdder();

  ProductCatalog() {
    for (int rank = 1; rank <= PRODUCTS; rank++) {
      String id = productId(rank);
      products.put(id, new Product(id, "Product " + rank, 100L + rank % 9_900));
    }
  }

  static String productId(int rank) {
    return "product-" + rank;
  }

  /** @return the product, or null when there is none with this id */
  Product lookup(String id) {
    Product product = products.get(id); // the hot key: product-1
    lookups.increment();
    if (HOTTEST.equals(id)) {
      hottestLookups.increment();
    }
    return product;
  }

  long lookupCount() {
    return lookups.sum();
  }

  /** Share of all lookups that asked for {@link #HOTTEST}, 0 before any lookup. */
  double hottestShare() {
    long total = lookups.sum();
    return total == 0 ? 0 : (double) hottestLookups.sum() / total;
  }

  /**
   * Draws product ranks 1..n: rank 1 (the flash sale) with probability {@link #FLASH_SALE_SHARE},
   * otherwise with probability proportional to 1/rank. Not thread-safe.
   */
  static final class ZipfSampler {
    /** Share of lookups that go to the flash-sale product on top of its Zipf share. */
    static final double FLASH_SALE_SHARE = 0.25;
    private final double[] cumulative;
    private final SplittableRandom random;

    ZipfSampler(int n, long seed) {
      cumulative = new double[n];
      double sum = 0;
      for (int rank = 1; rank <= n; rank++) {
        sum += 1.0 / rank;
        cumulative[rank - 1] = sum;
      }
      for (int i = 0; i < n; i++) {
        cumulative[i] /= sum;
      }
      random = new SplittableRandom(seed);
    }

    int nextRank() {
      if (random.nextDouble() < FLASH_SALE_SHARE) {
        return 1;
      }
      double u = random.nextDouble();
      int lo = 0;
      int hi = cumulative.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo + 1;
    }

    String nextProductId() {
      return productId(nextRank());
    }
  }
}

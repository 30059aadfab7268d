package io.mapaudit.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Real map-heavy workloads, measured as throughput with and without the agent.
 *
 * <ul>
 *   <li>{@link #jacksonReadWrite}: Jackson reads a JSON document (~6 KB: an order with nested
 *       customer, 40 line items, tags and attributes) into {@code Map<String,Object>} — every
 *       object a {@code LinkedHashMap} — then reads a few fields and writes it back to bytes.
 *   <li>{@link #zipfCache}: a bounded read-through cache on one {@code ConcurrentHashMap}, keys
 *       drawn from a Zipf(1.0) distribution over 200 000 keys, 2 threads: {@code get}, on a miss
 *       {@code putIfAbsent} of a freshly built value and, above capacity, a {@code remove}.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WorkloadBenchmark {
  private static final TypeReference<Map<String, Object>> MAP =
      new TypeReference<Map<String, Object>>() {};

  @State(Scope.Benchmark)
  public static class Json {
    final ObjectMapper mapper = new ObjectMapper();
    byte[] document;

    @Setup
    public void setup() throws IOException {
      AgentControl.prepare();
      document = mapper.writeValueAsBytes(order(new SplittableRandom(42)));
    }
  }

  static Map<String, Object> order(SplittableRandom r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", "ord-" + r.nextInt(1_000_000));
    o.put("createdAt", "2026-11-22T10:15:30Z");
    o.put("status", "PAID");
    Map<String, Object> customer = new LinkedHashMap<>();
    customer.put("id", r.nextInt(100_000));
    customer.put("name", "Customer " + r.nextInt(1000));
    customer.put("email", "c" + r.nextInt(1000) + "@example.com");
    Map<String, Object> address = new LinkedHashMap<>();
    address.put("street", r.nextInt(300) + " Main Street");
    address.put("city", "Springfield");
    address.put("zip", String.valueOf(10_000 + r.nextInt(89_999)));
    address.put("country", "US");
    customer.put("address", address);
    o.put("customer", customer);
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("sku", "SKU-" + r.nextInt(50_000));
      item.put("quantity", 1 + r.nextInt(5));
      item.put("unitPrice", r.nextInt(10_000) / 100.0);
      item.put("discounted", r.nextBoolean());
      Map<String, Object> attrs = new LinkedHashMap<>();
      attrs.put("color", r.nextBoolean() ? "red" : "blue");
      attrs.put("size", r.nextInt(3) == 0 ? "L" : "M");
      item.put("attributes", attrs);
      items.add(item);
    }
    o.put("items", items);
    o.put("tags", List.of("priority", "gift", "eu-warehouse"));
    o.put("total", r.nextInt(1_000_000) / 100.0);
    return o;
  }

  @Benchmark
  public byte[] jacksonReadWrite(Json s) throws IOException {
    Map<String, Object> order = s.mapper.readValue(s.document, MAP);
    @SuppressWarnings("unchecked")
    Map<String, Object> customer = (Map<String, Object>) order.get("customer");
    order.put("customerName", customer.get("name"));
    order.getOrDefault("coupon", "none");
    return s.mapper.writeValueAsBytes(order);
  }

  /** The shared cache. */
  @State(Scope.Benchmark)
  public static class Cache {
    static final int KEYS = 200_000;
    static final int CAPACITY = 50_000;
    final ConcurrentHashMap<String, long[]> map = new ConcurrentHashMap<>();
    final String[] keys = new String[KEYS];

    @Setup
    public void setup() {
      AgentControl.prepare();
      for (int i = 0; i < KEYS; i++) {
        keys[i] = "user:" + i;
        keys[i].hashCode();
      }
    }
  }

  /** Each thread's own precomputed Zipf key sequence (no random numbers in the measured loop). */
  @State(Scope.Thread)
  public static class Stream {
    static final int LENGTH = 1 << 20;
    final int[] sequence = new int[LENGTH];
    final int[] victims = new int[LENGTH];
    int i;

    @Setup
    public void setup() {
      SplittableRandom r = new SplittableRandom(Thread.currentThread().getId());
      Zipf zipf = new Zipf(Cache.KEYS, 1.0);
      for (int j = 0; j < LENGTH; j++) {
        sequence[j] = zipf.next(r);
        victims[j] = r.nextInt(Cache.KEYS);
      }
    }
  }

  @Benchmark
  @Threads(2)
  public long[] zipfCache(Cache c, Stream s) {
    int j = s.i++ & (Stream.LENGTH - 1);
    String key = c.keys[s.sequence[j]];
    long[] v = c.map.get(key);
    if (v == null) {
      v = new long[] {key.length(), j};
      if (c.map.putIfAbsent(key, v) == null && c.map.size() > Cache.CAPACITY) {
        c.map.remove(c.keys[s.victims[j]]);
      }
    }
    return v;
  }

  /** Zipf sampling by inverse CDF over a precomputed table (binary search). */
  static final class Zipf {
    private final double[] cdf;

    Zipf(int n, double s) {
      cdf = new double[n];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += 1.0 / Math.pow(i + 1, s);
        cdf[i] = sum;
      }
      for (int i = 0; i < n; i++) {
        cdf[i] /= sum;
      }
    }

    int next(SplittableRandom r) {
      double u = r.nextDouble();
      int lo = 0;
      int hi = cdf.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cdf[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }
}

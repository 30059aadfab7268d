package io.mapaudit.agent.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A realistic report tree in the shape {@link ReportBuilder} and the heat section produce: every
 * finding kind, maps with heat, latency and misses, and one finding and map whose key, site and
 * thread names are hostile HTML. Shared by the unit test and the browser IT.
 */
public final class SampleReport {
  /** A key, site and thread name that would run script if a writer forgot to escape them. */
  public static final String EVIL_KEY = "<script>alert(1)</script>";
  public static final String EVIL_SITE = "com.acme.X.\"onmouseover=alert(2) x='(X.java:1)";
  public static final String EVIL_THREAD = "worker-<img src=x onerror=alert(3)>&";
  /** Filler maps beyond the page's cap of 20. */
  public static final int FILLER_MAPS = 24;

  private SampleReport() {}

  /** The sample tree; fresh and mutable on every call. */
  public static Map<String, Object> tree() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("agent", agent());
    List<Object> maps = new ArrayList<>();
    maps.add(ordersMap());
    maps.add(balancesMap());
    maps.add(productsMap());
    maps.add(evilMap());
    for (int i = 0; i < FILLER_MAPS; i++) {
      maps.add(fillerMap(i));
    }
    root.put("maps", maps);
    root.put("findings", findings());
    return root;
  }

  /** The sample's findings' (kind, site) pairs, in tree order. */
  public static List<String[]> kindsAndSites() {
    List<String[]> out = new ArrayList<>();
    for (Object o : findings()) {
      Map<?, ?> f = (Map<?, ?>) o;
      out.add(new String[] {(String) f.get("kind"), (String) f.get("site")});
    }
    return out;
  }

  static Map<String, Object> agent() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("version", "0.1.0-SNAPSHOT");
    a.put("jvm", "OpenJDK 64-Bit Server VM 17.0.15");
    a.put("mode", "premain");
    a.put("startedAt", "2026-11-21T09:14:03.120Z");
    a.put("sampling", 64);
    a.put("pid", "41207");
    a.put("auditing", true);
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("reportDir", "/var/log/orders");
    options.put("sampling", "64");
    a.put("options", options);
    a.put("records", 184_211L);
    a.put("droppedRecords", 0L);
    a.put("trackedMaps", 112);
    a.put("mapsCollected", 40L);
    a.put("mapsEvicted", 0L);
    a.put("droppedFindingEvents", 0L);
    a.put("findingsOverflow", 0L);
    a.put("adviceErrors", 0L);
    a.put("instrumentedClasses", Arrays.asList("java.util.HashMap", "java.util.LinkedHashMap",
        "java.util.concurrent.ConcurrentHashMap", "java.util.HashMap$HashIterator"));
    return a;
  }

  static List<Object> findings() {
    List<Object> out = new ArrayList<>();
    out.add(finding("CONCURRENT_WRITE", "error", "java.util.HashMap", "HashMap@1b6d3586",
        "com.acme.orders.OrderRouter.route(OrderRouter.java:58)",
        "com.acme.orders.OrderRouter.evict(OrderRouter.java:91)",
        Arrays.asList("http-nio-8080-exec-3", "order-evictor"), "order-118204", 7,
        "watched put overlapped by remove in another thread",
        stack("com.acme.orders.OrderRouter.route(OrderRouter.java:58)", 14),
        stack("com.acme.orders.OrderRouter.evict(OrderRouter.java:91)", 9)));
    out.add(finding("LOST_UPDATE", "error", "java.util.concurrent.ConcurrentHashMap",
        "ConcurrentHashMap@4e25154f",
        "com.acme.payments.PaymentCounter.increment(PaymentCounter.java:22)",
        "com.acme.payments.PaymentCounter.increment(PaymentCounter.java:22)",
        Arrays.asList("payment-worker-1", "payment-worker-4"), "merchant-77", 93,
        "get then put of the same key; another thread put it in between",
        stack("com.acme.payments.PaymentCounter.increment(PaymentCounter.java:21)", 11),
        stack("com.acme.payments.PaymentCounter.increment(PaymentCounter.java:22)", 11)));
    out.add(finding("DEFAULT_ON_MISSING_KEY", "error", "java.util.HashMap", "HashMap@70dea4e",
        "com.acme.ledger.SettlementService.settle(SettlementService.java:73)", null,
        Arrays.asList("settlement-0"), "fund-new-2", 3_072,
        "absent key read as the caller's default 0.0 (numeric zero)",
        stack("com.acme.ledger.SettlementService.settle(SettlementService.java:73)", 8), null));
    out.add(finding("MODIFIED_DURING_ITERATION", "error", "java.util.HashMap", "HashMap@5e6ab935",
        "com.acme.config.ConfigRefresher.refresh(ConfigRefresher.java:52)",
        "com.acme.config.ConfigRefresher.prune(ConfigRefresher.java:64)",
        Arrays.asList("config-refresher"), "feature.checkout.v2", 164,
        "ConcurrentModificationException thrown at the iterator",
        stack("com.acme.config.ConfigRefresher.refresh(ConfigRefresher.java:52)", 6),
        stack("com.acme.config.ConfigRefresher.prune(ConfigRefresher.java:64)", 6)));
    out.add(finding("CHECK_THEN_ACT", "warning", "java.util.concurrent.ConcurrentHashMap",
        "ConcurrentHashMap@65f3ee8d",
        "com.acme.payments.IdempotencyStore.pay(IdempotencyStore.java:56)",
        "com.acme.payments.IdempotencyStore.pay(IdempotencyStore.java:58)",
        Arrays.asList("payment-worker-2", "payment-worker-3"), "pay-2-110", 2_650,
        "miss, then put, while another thread put the same key",
        stack("com.acme.payments.IdempotencyStore.pay(IdempotencyStore.java:56)", 10),
        stack("com.acme.payments.IdempotencyStore.pay(IdempotencyStore.java:58)", 10)));
    out.add(finding("CROSS_THREAD_WRITES", "warning", "java.util.HashMap", "HashMap@60fa3495",
        EVIL_SITE, null, Arrays.asList("main", EVIL_THREAD), EVIL_KEY, 1,
        "written by 2 threads; held monitor: no <b>bold?</b>", stack(EVIL_SITE, 4), null));
    out.add(finding("HOT_KEY", "info", "java.util.concurrent.ConcurrentHashMap",
        "ConcurrentHashMap@7a81197d",
        "com.acme.catalog.ProductCatalog.lookup(ProductCatalog.java:40)", null,
        Arrays.asList("http-nio-8080-exec-1"), "product-1", 1_605,
        "key takes 41.2% of operations",
        stack("com.acme.catalog.ProductCatalog.lookup(ProductCatalog.java:40)", 12), null));
    out.add(finding("MISSING_KEY", "info", "java.util.concurrent.ConcurrentHashMap",
        "ConcurrentHashMap@65f3ee8d",
        "com.acme.payments.IdempotencyStore.pay(IdempotencyStore.java:55)", null,
        Arrays.asList("payment-worker-2"), "pay-2-111", 6_144, null, new ArrayList<>(), null));
    return out;
  }

  private static Map<String, Object> finding(String kind, String severity, String mapType,
      String mapId, String site, String otherSite, List<String> threads, String key, long count,
      String detail, List<Object> stack, List<Object> otherStack) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("kind", kind);
    f.put("severity", severity);
    f.put("mapType", mapType);
    f.put("mapId", mapId);
    f.put("site", site);
    f.put("otherSite", otherSite);
    f.put("threads", new ArrayList<>(threads));
    f.put("key", key);
    f.put("count", count);
    f.put("firstSeen", "2026-11-21T09:14:11.482Z");
    f.put("lastSeen", "2026-11-21T09:31:57.006Z");
    f.put("detail", detail);
    f.put("stack", stack);
    f.put("otherStack", otherStack == null ? new ArrayList<>() : otherStack);
    return f;
  }

  /** {@code top}, application frames, then a pool thread's base frames; {@code depth} in all. */
  static List<Object> stack(String top, int depth) {
    String[] app = {
      "com.acme.web.OrderController.post(OrderController.java:41)",
      "com.acme.web.Dispatcher.handle(Dispatcher.java:118)",
      "com.acme.web.Dispatcher.lambda$serve$0(Dispatcher.java:77)"
    };
    String[] base = {
      "java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)",
      "java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)",
      "java.lang.Thread.run(Thread.java:840)"
    };
    List<Object> s = new ArrayList<>();
    s.add(top);
    int middle = Math.max(0, depth - 1 - base.length);
    for (int i = 0; i < middle; i++) {
      s.add(i < app.length ? app[i]
          : "com.acme.framework.Layer" + i + ".invoke(Layer" + i + ".java:" + (20 + i) + ")");
    }
    for (int i = Math.max(0, base.length - (depth - 1)); i < base.length; i++) {
      s.add(base[i]);
    }
    return s;
  }

  private static Map<String, Object> ordersMap() {
    Map<String, Object> m = map("HashMap@1b6d3586", "java.util.HashMap",
        "com.acme.orders.OrderRouter.<init>(OrderRouter.java:31)", "allocation",
        ops(1_254_400, 412_800, 398_720, "containsKey", 86_016L, "size", 12_800L), 30_400,
        Arrays.asList("http-nio-8080-exec-3", "http-nio-8080-exec-7", "order-evictor"));
    m.put("hotKeys", keys(new Object[][] {
        {"order-118204", 19_072L, 0.0352, 640L},
        {"order-118199", 15_296L, 0.0282, 640L},
        {"order-117950", 9_984L, 0.0184, 640L},
        {"order-118001", 8_128L, 0.0150, 640L},
        {"order-118150", 6_400L, 0.0118, 640L},
    }));
    m.put("misses", misses(38_400L, new Object[][] {{"order-0", 21_504L}, {"order-1", 640L}}));
    m.put("heat", heat("last", 0.0352, 0.141, 0.38, 2_048, 9_984, 19_072, 0.12));
    m.put("latencyNanos", latency(new Object[][] {
        {"get", 19_600L, 42L, 88L, 310L, 18_400L},
        {"put", 6_450L, 61L, 140L, 920L, 2_400_000L},
        {"remove", 6_230L, 55L, 120L, 700L, 31_000L},
        {"containsKey", 1_344L, 38L, 70L, 240L, 4_100L},
    }));
    return m;
  }

  private static Map<String, Object> balancesMap() {
    Map<String, Object> m = map("HashMap@70dea4e", "java.util.HashMap",
        "com.acme.ledger.SettlementService.<init>(SettlementService.java:46)", "allocation",
        ops(0, 18_432, 0, "getOrDefault", 15_360L), 528, Arrays.asList("main", "settlement-0"));
    m.put("misses", misses(3_072L, new Object[][] {{"fund-new-2", 2_048L},
        {"fund-new-3", 1_024L}}));
    m.put("heat", heat("current", 0.09, 0.52, 1.0, 64, 256, 512, 0.0));
    m.put("latencyNanos", latency(new Object[][] {
        {"getOrDefault", 240L, 35L, 60L, 150L, 900L},
        {"put", 288L, 48L, 95L, 400L, 12_000L},
    }));
    return m;
  }

  private static Map<String, Object> productsMap() {
    Map<String, Object> m = map("ConcurrentHashMap@7a81197d",
        "java.util.concurrent.ConcurrentHashMap",
        "com.acme.catalog.ProductCatalog.<init>(ProductCatalog.java:26)", "allocation",
        ops(982_528, 1_024, 0), 15_368, Arrays.asList("catalog-loader"));
    List<Object[]> hot = new ArrayList<>();
    hot.add(new Object[] {"product-1", 404_800L, 0.412, 1_280L});
    for (int i = 2; i <= 24; i++) {
      hot.add(new Object[] {"product-" + i, 40_000L / i, 0.0407 / i, 1_280L});
    }
    m.put("hotKeys", keys(hot.toArray(new Object[0][])));
    m.put("heat", heat("last", 0.412, 0.55, 0.81, 128, 404_800, 404_800, 0.04));
    m.put("latencyNanos", latency(new Object[][] {
        {"get", 15_352L, 28L, 52L, 160L, 6_200L},
    }));
    return m;
  }

  private static Map<String, Object> evilMap() {
    Map<String, Object> m = map("HashMap@60fa3495", "java.util.HashMap", EVIL_SITE, "firstSeen",
        ops(1_280, 3_840, 0), 80, Arrays.asList("main", EVIL_THREAD));
    m.put("hotKeys", keys(new Object[][] {{EVIL_KEY, 30L, 0.6, 0L}, {"ok", 20L, 0.4, 0L}}));
    m.put("misses", misses(5L, new Object[][] {{EVIL_KEY, 5L}}));
    m.put("latencyNanos", latency(new Object[][] {{EVIL_KEY, 3L, 10L, 20L, 30L, 40L}}));
    return m;
  }

  private static Map<String, Object> fillerMap(int i) {
    Map<String, Object> m = map("LinkedHashMap@f" + i, "java.util.LinkedHashMap",
        "com.acme.misc.Filler" + i + ".<init>(Filler" + i + ".java:" + (10 + i) + ")",
        "allocation", ops(100 - i, 0, 0), 1, Arrays.asList("main"));
    return m;
  }

  private static Map<String, Object> map(String id, String type, String site, String siteKind,
      Map<String, Object> ops, long sampledOps, List<String> writers) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mapId", id);
    m.put("mapType", type);
    m.put("site", site);
    m.put("siteKind", siteKind);
    m.put("ops", ops);
    m.put("sampledOps", sampledOps);
    m.put("writerThreads", writers.size());
    m.put("writerThreadNames", new ArrayList<>(writers));
    m.put("hotKeys", new ArrayList<>());
    m.put("misses", misses(0L, new Object[0][]));
    m.put("latencyNanos", new LinkedHashMap<>());
    return m;
  }

  private static Map<String, Object> ops(long get, long put, long remove, Object... more) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("get", get);
    o.put("put", put);
    o.put("remove", remove);
    for (int i = 0; i < more.length; i += 2) {
      o.put((String) more[i], more[i + 1]);
    }
    return o;
  }

  private static List<Object> keys(Object[][] rows) {
    List<Object> out = new ArrayList<>();
    for (Object[] r : rows) {
      Map<String, Object> k = new LinkedHashMap<>();
      k.put("key", r[0]);
      k.put("count", r[1]);
      k.put("share", r[2]);
      k.put("error", r[3]);
      out.add(k);
    }
    return out;
  }

  private static Map<String, Object> misses(long count, Object[][] rows) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    List<Object> keys = new ArrayList<>();
    for (Object[] r : rows) {
      Map<String, Object> k = new LinkedHashMap<>();
      k.put("key", r[0]);
      k.put("count", r[1]);
      keys.add(k);
    }
    m.put("hotKeys", keys);
    return m;
  }

  private static Map<String, Object> heat(String window, double top1, double top10,
      double top100, long p50, long p90, long p99, double untracked) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("window", window);
    h.put("top1Share", top1);
    h.put("top10Share", top10);
    h.put("top100Share", top100);
    h.put("p50", p50);
    h.put("p90", p90);
    h.put("p99", p99);
    h.put("untrackedShare", untracked);
    return h;
  }

  private static Map<String, Object> latency(Object[][] rows) {
    Map<String, Object> l = new LinkedHashMap<>();
    for (Object[] r : rows) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("count", r[1]);
      s.put("p50", r[2]);
      s.put("p90", r[3]);
      s.put("p99", r[4]);
      s.put("max", r[5]);
      l.put((String) r[0], s);
    }
    return l;
  }
}

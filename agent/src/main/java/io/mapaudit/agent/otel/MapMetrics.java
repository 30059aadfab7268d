package io.mapaudit.agent.otel;

import io.mapaudit.agent.audit.Aggregator;
import io.mapaudit.agent.profile.MapProfile;
import io.mapaudit.agent.record.RecordFlags;
import io.mapaudit.bootstrap.MapOp;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The map metrics of DESIGN §6, fed by the drainer with each sampled operation.
 *
 * <p>Names follow the semantic conventions: dotted names without units, {@code {operation}}
 * style annotations, seconds for durations. Attribute cardinality is bounded: the map type (the
 * first {@link #MAX_TYPES} distinct classes, then {@code "other"}: double-brace initialisers make
 * a class per call site) times the operation name; hot-key shares keep only the top
 * {@link #MAX_HOT_KEYS}. Counts are estimates: each sampled operation stands for
 * {@code sampling} operations. Only maps the report would show (the include/exclude filter,
 * no JDK-internal maps) are counted.
 */
final class MapMetrics implements Aggregator.RecordListener {
  static final int MAX_TYPES = 16;
  static final int MAX_HOT_KEYS = 10;
  static final String OTHER = "other";
  /** 100 ns … 10 ms: map operations live here (the SDK's default buckets start at 5 ms). */
  static final List<Double> DURATION_BUCKETS = Collections.unmodifiableList(Arrays.asList(
      1e-7, 2.5e-7, 5e-7, 1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3,
      2.5e-3, 5e-3, 1e-2));

  static final AttributeKey<String> MAP_TYPE = AttributeKey.stringKey("mapaudit.map.type");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("mapaudit.operation");
  static final AttributeKey<String> MAP_ID = AttributeKey.stringKey("mapaudit.map.id");
  static final AttributeKey<String> KEY = AttributeKey.stringKey("mapaudit.key");

  private final Aggregator aggregator;
  private final long sampling;
  private final LongCounter operations;
  private final LongCounter misses;
  private final DoubleHistogram duration;
  private final String[] types = new String[MAX_TYPES + 1];
  private final Attributes[][] attributes = new Attributes[MAX_TYPES + 1][MapOp.COUNT];
  private int typeCount;
  /** Latest top hot keys, published for the gauge callback (another thread). */
  private volatile List<HotKeyShare> hotKeys = Collections.emptyList();
  private final List<HotKeyShare> pendingHotKeys = new ArrayList<>();
  /*
   * Run at the start of each collection: the session has the drainer drain first, so a scrape
   * counts every operation sampled before it. The drainer sleeps between its 250 ms ticks, and a
   * ring less than half full would otherwise wait for the tick.
   */
  private volatile Runnable beforeCollect = NOTHING;
  private static final Runnable NOTHING = () -> { };

  static final class HotKeyShare {
    final Attributes attributes;
    final double share;

    HotKeyShare(Attributes attributes, double share) {
      this.attributes = attributes;
      this.share = share;
    }
  }

  MapMetrics(Meter meter, Aggregator aggregator, int sampling) {
    this.aggregator = aggregator;
    this.sampling = sampling;
    this.operations = meter.counterBuilder("mapaudit.map.operations")
        .setUnit("{operation}")
        .setDescription("Map operations (estimated from the sampled ones)")
        .build();
    this.misses = meter.counterBuilder("mapaudit.map.misses")
        .setUnit("{miss}")
        .setDescription("Reads of absent keys: get returning null, getOrDefault returning the"
            + " default (estimated from the sampled ones)")
        .build();
    this.duration = meter.histogramBuilder("mapaudit.map.operation.duration")
        .setUnit("s")
        .setDescription("Duration of sampled map operations")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
        .build();
    meter.gaugeBuilder("mapaudit.map.hot_key.share")
        .setUnit("1")
        .setDescription("Share of a map's operations that went to one of its hottest keys")
        .buildWithCallback(this::observeHotKeys);
  }

  @Override
  public void onRecord(MapProfile profile, int op, int flags, long nanos) {
    if (op < 0 || op >= MapOp.COUNT || !aggregator.reportable(profile.site())) {
      return;
    }
    Attributes a = attributes(profile.mapType(), op);
    operations.add(sampling, a);
    if (nanos > 0) {
      duration.record(nanos / 1e9, a);
    }
    if ((flags & RecordFlags.CONFIRMED_MISS) != 0) {
      misses.add(sampling, a);
    }
  }

  private Attributes attributes(String mapType, int op) {
    int t = typeIndex(mapType);
    Attributes a = attributes[t][op];
    if (a == null) {
      a = Attributes.of(MAP_TYPE, types[t], OPERATION, MapOp.name(op));
      attributes[t][op] = a;
    }
    return a;
  }

  private int typeIndex(String mapType) {
    for (int i = 0; i < typeCount; i++) {
      if (types[i].equals(mapType)) {
        return i;
      }
    }
    if (typeCount < MAX_TYPES) {
      types[typeCount] = mapType;
      return typeCount++;
    }
    types[MAX_TYPES] = OTHER;
    return MAX_TYPES;
  }

  /**
   * Hook for the heat section (drainer thread): one of a map's hottest keys and its share of the
   * map's operations in the last complete window. Call it for each top key of each reported map
   * after a window closes, then {@link #publishHotKeyShares()}; the top {@link #MAX_HOT_KEYS}
   * shares over all maps are exported. Keys must already be rendered by the {@code keys} policy.
   */
  void recordHotKeyShare(String mapType, String mapId, String key, double share) {
    if (key == null || !(share >= 0.0)) {
      return;
    }
    Attributes a = Attributes.of(MAP_TYPE, mapType, MAP_ID, mapId, KEY, key);
    pendingHotKeys.add(new HotKeyShare(a, Math.min(share, 1.0)));
  }

  /** Publishes the shares recorded since the last call (the top ones), replacing the old ones. */
  void publishHotKeyShares() {
    List<HotKeyShare> top = new ArrayList<>(pendingHotKeys);
    pendingHotKeys.clear();
    top.sort((x, y) -> Double.compare(y.share, x.share));
    hotKeys = Collections.unmodifiableList(
        new ArrayList<>(top.subList(0, Math.min(MAX_HOT_KEYS, top.size()))));
  }

  /**
   * Sets what runs at the start of each metric collection, before any instrument is read: the
   * SDK invokes a meter's callbacks (this gauge's) before it collects its synchronous counters.
   */
  void beforeCollect(Runnable r) {
    beforeCollect = r == null ? NOTHING : r;
  }

  private void observeHotKeys(ObservableDoubleMeasurement m) {
    beforeCollect.run();
    for (HotKeyShare h : hotKeys) {
      m.record(h.share, h.attributes);
    }
  }
}

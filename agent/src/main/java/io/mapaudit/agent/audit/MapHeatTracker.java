package io.mapaudit.agent.audit;

import io.mapaudit.agent.config.AgentOptions;
import io.mapaudit.agent.heat.HeatReport;
import io.mapaudit.agent.heat.HeatStats;
import io.mapaudit.agent.heat.HotKeyView;
import io.mapaudit.agent.heat.LatencyStats;
import io.mapaudit.agent.heat.MapHeat;
import io.mapaudit.agent.profile.MapProfile;
import io.mapaudit.agent.report.ReportBuilder;
import io.mapaudit.bootstrap.MapOp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Heat per map on the drainer (DESIGN §5): a {@link MapHeat} (Space-Saving top keys over tumbling
 * windows, heat histogram, latency histograms) for the busiest maps, and their report section.
 *
 * <p>Counters: {@link #COUNTERS} = 256. On a Zipf(1.0) stream of 10 M operations over 1 M keys
 * (scripts/heat-accuracy.sh) m = 128 recalls 9 of the true top 10 at the default 1-in-1024
 * sampling, with an 82 % count error on the 10th; m = 256 recalls all 10 at every sampling
 * rate, its remaining error being the sampling noise itself (m = 1024 gives the same).
 *
 * <p>Memory: a hot map's heat takes about 28 KB at m = 128 (MapHeatFootprintTest), about 40 KB
 * at m = 256, so heat is kept for at most {@link #MAX_HEAT_MAPS} maps at once, each only after it
 * has shown {@link #MIN_OPS_FOR_HEAT} sampled operations: about 5 MB whatever the number of maps.
 * Maps beyond it are still counted, named and audited; they report no hot keys.
 */
final class MapHeatTracker implements ReportBuilder.MapSection {
  static final int MAX_HEAT_MAPS = 128;
  static final int COUNTERS = 256;
  static final long MIN_OPS_FOR_HEAT = 16;
  /** Sampled operations a window needs before its top key can be a HOT_KEY. */
  static final long MIN_WINDOW_OPS = 64;

  private final AgentOptions options;
  private final int sampling;
  private int heatMaps;

  MapHeatTracker(AgentOptions options) {
    this.options = options;
    this.sampling = options.sampling();
  }

  /**
   * The map's heat, created once the map qualifies; null when heat is off or the map has none
   * (then nothing needs its keys rendered).
   */
  MapHeat heatFor(MapProfile p, long nowMillis) {
    MapHeat h = (MapHeat) p.heat;
    if (h != null || !options.heat() || p.sampledOps() < MIN_OPS_FOR_HEAT
        || heatMaps >= MAX_HEAT_MAPS) {
      return h;
    }
    h = new MapHeat(COUNTERS, options.heatWindowMillis(), nowMillis);
    p.heat = h;
    heatMaps++;
    return h;
  }

  /** Adds one sampled operation to {@code h} (its rendered key may be null: no key, or off). */
  void record(MapHeat h, String renderedKey, int op, long nanos, long nowMillis) {
    if (renderedKey != null) {
      // Each record counts once, whatever drop weight it carries: a burst of dropped records
      // carried by one record would crown a random key hot (HeatIT saw a false HOT_KEY); drops
      // are independent of keys, so the recorded sample is unbiased and the report scales its
      // counts by the map's drop ratio instead.
      h.recordKey(renderedKey, nowMillis);
    }
    if (nanos > 0) {
      h.recordLatency(MapOp.name(op), nanos);
    }
  }

  /** A profile left the side table: its heat no longer counts against the bound. */
  void retired(MapProfile p) {
    if (p.heat != null) {
      heatMaps--;
    }
  }

  /** The key over the hot-key share in the latest window, or null. */
  HotKeyView hottest(MapProfile p) {
    MapHeat h = (MapHeat) p.heat;
    return h == null ? null : h.hottest(options.hotKeyShare(), MIN_WINDOW_OPS);
  }

  /** The top {@code k} keys of every map with heat, from its latest window. */
  void forEachHotKey(Iterable<MapProfile> profiles, int k, Aggregator.HotKeyConsumer c) {
    long now = System.currentTimeMillis();
    for (MapProfile p : profiles) {
      MapHeat h = (MapHeat) p.heat;
      if (h != null) {
        for (HotKeyView v : h.report(k, sampling, now).hotKeys()) {
          c.accept(p.mapType(), p.mapId(), v.key(), v.share());
        }
      }
    }
  }

  @Override
  public void addTo(MapProfile p, Map<String, Object> m) {
    MapHeat h = (MapHeat) p.heat;
    if (h == null) {
      return;
    }
    // Scale by the sampling interval and by the records dropped before this map's records.
    long interval = p.records() == 0 ? sampling
        : Math.max(sampling, Math.round(sampling * (double) p.sampledOps() / p.records()));
    HeatReport r = h.report(options.topK(), interval, System.currentTimeMillis());
    m.put("hotKeys", keys(r.hotKeys()));
    m.put("cumulativeHotKeys", keys(r.cumulativeHotKeys()));
    HeatStats s = r.heat();
    Map<String, Object> heat = new LinkedHashMap<>();
    heat.put("window", r.window());
    heat.put("windowSampledOps", r.windowSampledOps());
    heat.put("top1Share", s.top1Share());
    heat.put("top10Share", s.top10Share());
    heat.put("top100Share", s.top100Share());
    heat.put("p50", s.p50());
    heat.put("p90", s.p90());
    heat.put("p99", s.p99());
    heat.put("untrackedShare", s.untrackedShare());
    m.put("heat", heat);
    Map<String, Object> latency = new LinkedHashMap<>();
    for (Map.Entry<String, LatencyStats> e : r.latency().entrySet()) {
      LatencyStats l = e.getValue();
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("count", l.count());
      one.put("p50", l.p50());
      one.put("p90", l.p90());
      one.put("p99", l.p99());
      one.put("max", l.max());
      latency.put(e.getKey(), one);
    }
    m.put("latencyNanos", latency);
  }

  private static List<Object> keys(List<HotKeyView> views) {
    List<Object> out = new ArrayList<>();
    for (HotKeyView v : views) {
      Map<String, Object> k = new LinkedHashMap<>();
      k.put("key", v.key());
      k.put("count", v.count());
      k.put("share", v.share());
      k.put("error", v.error());
      out.add(k);
    }
    return out;
  }
}

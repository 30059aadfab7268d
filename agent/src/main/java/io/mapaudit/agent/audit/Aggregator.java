package io.mapaudit.agent.audit;

import io.mapaudit.agent.config.AgentOptions;
import io.mapaudit.agent.detect.Finding;
import io.mapaudit.agent.detect.FindingEvent;
import io.mapaudit.agent.detect.FindingKind;
import io.mapaudit.agent.detect.FindingStore;
import io.mapaudit.agent.record.MapKinds;
import io.mapaudit.agent.detect.SharedMapsHint;
import io.mapaudit.agent.detect.Watchpoints;
import io.mapaudit.agent.profile.MapProfile;
import io.mapaudit.agent.profile.MapProfileTable;
import io.mapaudit.agent.record.Drainer;
import io.mapaudit.agent.record.RecordFlags;
import io.mapaudit.agent.record.RecordRing;
import io.mapaudit.agent.record.RecordingSink;
import io.mapaudit.agent.record.Sites;
import io.mapaudit.agent.report.ReportBuilder;
import io.mapaudit.agent.heat.HotKeyView;
import io.mapaudit.agent.heat.MapHeat;
import io.mapaudit.bootstrap.MapOp;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Drainer-side state of one agent session: the side table of map profiles, the maps retired from
 * it, and the findings. Implements the drainer's record consumer and periodic tick. Drainer-thread
 * only (other threads reach it through {@link Drainer#call}).
 */
public final class Aggregator implements RecordRing.Consumer, Drainer.Periodic,
    MapProfileTable.Retirement {
  /** Retired (collected or evicted) profiles kept for the report, the busiest first. */
  static final int MAX_RETIRED = 200;
  /** Estimated misses at one site that make a MISSING_KEY a warning ("hot" missing key). */
  static final long HOT_MISSES = 100;

  private final AgentOptions options;
  private final int sampling;
  private final MapProfileTable table;
  private final List<MapProfile> retired = new ArrayList<>();
  private final FindingStore findings;
  private final SharedMapsHint shared = new SharedMapsHint();
  private final MapHeatTracker heat;
  private final Function<Object, String> keyRenderer;
  private final List<FindingListener> listeners = new ArrayList<>();
  private long tick;
  private long records;
  private long recordsForEvictedMaps;

  /** Told about each new finding (export). Drainer thread. */
  public interface FindingListener {
    void onNewFinding(Finding f);
  }

  /** Told about each sampled operation after it was counted (metrics). Drainer thread. */
  public interface RecordListener {
    /** {@code nanos} is the operation's latency, or -1 when it was not timed. */
    void onRecord(MapProfile profile, int op, int flags, long nanos);
  }

  private final List<RecordListener> recordListeners = new ArrayList<>();
  private final List<Drainer.Periodic> tickers = new ArrayList<>();

  public void addRecordListener(RecordListener l) {
    recordListeners.add(l);
  }

  /** Periodic work run after the aggregator's own tick (exports). */
  public void addTicker(Drainer.Periodic t) {
    tickers.add(t);
  }

  public Aggregator(AgentOptions options, FindingStore findings,
      Function<Object, String> keyRenderer) {
    this.options = options;
    this.sampling = options.sampling();
    this.table = new MapProfileTable(options.maxMaps(), this);
    this.findings = findings;
    this.keyRenderer = keyRenderer;
    this.heat = new MapHeatTracker(options);
  }

  /** The per-map heat section of the report. */
  public ReportBuilder.MapSection heatSection() {
    return heat;
  }

  public void addListener(FindingListener l) {
    listeners.add(l);
  }

  @Override
  public void accept(RecordRing ring, Object map, Object key, Object arg, Object site, int op,
      int flags, long nanos, int weight) {
    records++;
    MapProfile p = table.get(map);
    if (p == null) {
      int id = System.identityHashCode(map);
      p = new MapProfile(map.getClass().getName(),
          map.getClass().getSimpleName() + "@" + Integer.toHexString(id), id,
          System.currentTimeMillis());
      p.threadSafe = MapKinds.threadSafe(map);
      table.put(map, p);
    }
    Object traceContext = null;
    if (site instanceof RecordingSink.SiteAndContext) {
      traceContext = ((RecordingSink.SiteAndContext) site).traceContext;
      site = ((RecordingSink.SiteAndContext) site).site;
    }
    String siteText = site instanceof StackTraceElement ? Sites.format((StackTraceElement) site) : null;
    if ((flags & RecordFlags.FIRST_SIGHTING) != 0) {
      p.site(siteText, (flags & RecordFlags.ALLOCATION) != 0);
    }
    if (op == MapOp.CONSTRUCT) {
      return;
    }
    p.count(op, ++tick, weight);
    p.toucher(ring.threadId());
    if (MapOp.isWrite(op) && (flags & RecordFlags.THREW) == 0) {
      p.writer(ring.threadId(), ring.threadName(), (flags & RecordFlags.HOLDS_MONITOR) != 0);
    }
    long now = System.currentTimeMillis();
    MapHeat h = heat.heatFor(p, now);
    boolean miss = (flags & RecordFlags.CONFIRMED_MISS) != 0;
    // Rendered once, and only when a miss or the map's heat uses it (HASH mode is an HMAC).
    boolean heatKey = h != null && key != null && MapOp.hasKey(op);
    String rendered = miss || heatKey ? keyRenderer.apply(key) : null;
    if (miss) {
      missed(p, map, key, rendered, arg, op, siteText, ring.threadName(), traceContext, weight);
    }
    if (h != null) {
      heat.record(h, heatKey ? rendered : null, op, nanos, now);
    }
    for (RecordListener l : recordListeners) {
      l.onRecord(p, op, flags, nanos);
    }
  }

  private void missed(MapProfile p, Object map, Object key, String rendered, Object arg, int op,
      String site, String thread, Object traceContext, int weight) {
    p.miss(rendered, weight);
    // Past the per-thread stack-walk rate limit a miss has no site of its own: it is charged to
    // the map's latest miss site rather than to the map's allocation site (DetectorsIT).
    int slot = op == MapOp.GET_OR_DEFAULT ? 1 : 0;
    if (site != null) {
      p.lastMissSite[slot] = site;
    }
    String where = site != null ? site
        : p.lastMissSite[slot] != null ? p.lastMissSite[slot] : p.site();
    if (!reportable(where)) {
      return;
    }
    FindingKind kind = op == MapOp.GET_OR_DEFAULT ? FindingKind.DEFAULT_ON_MISSING_KEY
        : FindingKind.MISSING_KEY;
    FindingKind.Severity severity = kind.defaultSeverity();
    String detail = null;
    if (kind == FindingKind.DEFAULT_ON_MISSING_KEY) {
      boolean zero = numericZero(arg);
      severity = zero ? FindingKind.Severity.ERROR : FindingKind.Severity.WARNING;
      detail = zero ? "absent key read as the caller's default " + arg + " (numeric zero)"
          : "absent key read as the caller's default";
    }
    FindingEvent e = new FindingEvent(kind, severity, map, where, null,
        Collections.singletonList(thread), key, null, null, (long) sampling * weight, detail)
        .withTraceContext(traceContext);
    Finding f = findings.merge(e, this::mapInfo, keyRenderer);
    if (f != null && kind == FindingKind.MISSING_KEY && f.count() >= HOT_MISSES * sampling) {
      f.escalate(FindingKind.Severity.WARNING);
    }
    if (f != null && f.count() == e.weight) {
      fire(f);
    }
  }

  /** True for a JDK numeric zero: the default that turned a missing balance into 0.0. */
  static boolean numericZero(Object v) {
    if (v == null) {
      return false;
    }
    Class<?> c = v.getClass();
    if (c == Integer.class || c == Long.class || c == Short.class || c == Byte.class) {
      return ((Number) v).longValue() == 0L;
    }
    if (c == Double.class || c == Float.class) {
      return ((Number) v).doubleValue() == 0.0;
    }
    if (c == BigDecimal.class) {
      return ((BigDecimal) v).signum() == 0;
    }
    if (c == BigInteger.class) {
      return ((BigInteger) v).signum() == 0;
    }
    if (c == java.util.concurrent.atomic.AtomicInteger.class
        || c == java.util.concurrent.atomic.AtomicLong.class) {
      return ((Number) v).longValue() == 0L;
    }
    return false;
  }

  /** {mapType, mapId} of a tracked map, for findings. */
  String[] mapInfo(Object map) {
    MapProfile p = table.get(map);
    if (p != null) {
      return new String[] {p.mapType(), p.mapId()};
    }
    return new String[] {map.getClass().getName(),
        map.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(map))};
  }

  /**
   * True when a site passes the include/exclude options. Maps owned by JDK code (and those with
   * no known site) are left out unless {@code include} names their package explicitly.
   */
  public boolean reportable(String site) {
    if (site == null || site.equals("unknown")) {
      return false;
    }
    if (Sites.internal(site)) {
      for (String in : options.include()) {
        if (site.startsWith(in)) {
          return true;
        }
      }
      return false;
    }
    for (String ex : options.exclude()) {
      if (site.startsWith(ex)) {
        return false;
      }
    }
    if (options.include().isEmpty()) {
      return true;
    }
    for (String in : options.include()) {
      if (site.startsWith(in)) {
        return true;
      }
    }
    return false;
  }

  private void fire(Finding f) {
    for (FindingListener l : listeners) {
      try {
        l.onNewFinding(f);
      } catch (Throwable e) {
        io.mapaudit.bootstrap.AdviceErrors.record(e);
      }
    }
  }

  @Override
  public void tick(long nowMillis) {
    table.expunge();
    flushFindings();
    table.forEach(this::crossThreadWrites);
    table.forEach(p -> hotKey(p, nowMillis));
    publishSharedMaps();
    Watchpoints.expireKeyWatches(System.nanoTime());
    for (Drainer.Periodic t : tickers) {
      try {
        t.tick(nowMillis);
      } catch (Throwable e) {
        io.mapaudit.bootstrap.AdviceErrors.record(e);
      }
    }
  }

  /** Merges the findings that application threads queued; fires listeners for new ones. */
  public void flushFindings() {
    for (Finding f : findings.drain(this::mapInfo, keyRenderer)) {
      fire(f);
    }
  }

  /** Tells the watchpoints which maps more than one thread uses (they arm on those). */
  private void publishSharedMaps() {
    int[] hashes = new int[SharedMapsHint.MAX_MAPS];
    int[] n = {0};
    table.forEach(p -> {
      if (p.shared() && n[0] < hashes.length) {
        hashes[n[0]++] = p.identityHash();
      }
    });
    shared.publish(hashes, n[0]);
  }

  /** The hint the watchpoints read. */
  public SharedMapsHint sharedMaps() {
    return shared;
  }

  /** HOT_KEY: one key takes at least hotKeyShare of a map's operations in a window. */
  private void hotKey(MapProfile p, long nowMillis) {
    if (nowMillis - p.lastHotKeyMillis < options.heatWindowMillis() || !reportable(p.site())) {
      return;
    }
    HotKeyView h = heat.hottest(p);
    if (h == null) {
      return;
    }
    p.lastHotKeyMillis = nowMillis;
    FindingEvent e = new FindingEvent(FindingKind.HOT_KEY, null, null, p.site(), null,
        Collections.<String>emptyList(), null, null, null, h.count() * sampling,
        String.format("key %s took %.0f %% of the map's sampled operations in a window", h.key(),
            h.share() * 100)).withMap(p.mapType(), p.mapId());
    Finding f = findings.merge(e, this::mapInfo, keyRenderer);
    if (f != null) {
      f.addKey(h.key(), h.count() * sampling);
      if (f.count() == e.weight) {
        fire(f);
      }
    }
  }

  /** CROSS_THREAD_WRITES: a non-thread-safe map written by two or more threads (no proof). */
  private void crossThreadWrites(MapProfile p) {
    if (p.crossThreadReported || p.writerCount() < 2 || !reportable(p.site())
        || p.threadSafe) {
      return;
    }
    p.crossThreadReported = true;
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < p.listedWriters(); i++) {
      threads.add(p.writerName(i) + (p.writerAlwaysHeldMonitor(i) ? " (held the map's monitor)"
          : " (without the map's monitor)"));
    }
    FindingEvent e = new FindingEvent(FindingKind.CROSS_THREAD_WRITES, null, null, p.site(),
        null, threads, null, null, null, 1, "written by " + p.writerCount() + " threads")
        .withMap(p.mapType(), p.mapId());
    Finding f = findings.merge(e, this::mapInfo, keyRenderer);
    if (f != null) {
      if (f.count() == 1) {
        fire(f);
      }
    }
  }

  @Override
  public void retired(MapProfile profile, boolean evicted) {
    heat.retired(profile);
    if (evicted) {
      recordsForEvictedMaps += profile.sampledOps();
    }
    if (profile.sampledOps() == 0 || !reportable(profile.site())) {
      return;
    }
    if (retired.size() < MAX_RETIRED) {
      retired.add(profile);
      return;
    }
    int min = 0;
    for (int i = 1; i < retired.size(); i++) {
      if (retired.get(i).sampledOps() < retired.get(min).sampledOps()) {
        min = i;
      }
    }
    if (retired.get(min).sampledOps() < profile.sampledOps()) {
      retired.set(min, profile);
    }
  }

  /** Live and retired reportable profiles, the busiest first. Drainer thread. */
  public List<MapProfile> reportableProfiles() {
    List<MapProfile> out = new ArrayList<>();
    table.forEach(p -> {
      if (p.sampledOps() > 0 && reportable(p.site())) {
        out.add(p);
      }
    });
    out.addAll(retired);
    out.sort(Comparator.comparingLong(MapProfile::sampledOps).reversed());
    return out;
  }

  /** Receives one top key of one reportable map (metrics export). */
  public interface HotKeyConsumer {
    void accept(String mapType, String mapId, String key, double share);
  }

  /** The top {@code k} keys of every reportable map with heat. Drainer thread. */
  public void forEachHotKey(int k, HotKeyConsumer c) {
    List<MapProfile> profiles = new ArrayList<>();
    table.forEach(p -> {
      if (p.heat != null && reportable(p.site())) {
        profiles.add(p);
      }
    });
    heat.forEachHotKey(profiles, k, c);
  }

  /** Tracked maps whose site is still unknown (no stack walk yet: budget, or all-JDK stacks). */
  public int mapsWithoutSite() {
    int[] n = {0};
    table.forEach(p -> {
      if (p.site() == null) {
        n[0]++;
      }
    });
    return n[0];
  }

  public FindingStore findings() {
    return findings;
  }

  public MapProfileTable table() {
    return table;
  }

  public long records() {
    return records;
  }

  public long recordsForEvictedMaps() {
    return recordsForEvictedMaps;
  }

  public int sampling() {
    return sampling;
  }
}

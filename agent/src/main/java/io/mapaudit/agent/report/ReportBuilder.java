package io.mapaudit.agent.report;

import io.mapaudit.agent.audit.Aggregator;
import io.mapaudit.agent.detect.Finding;
import io.mapaudit.agent.profile.MapProfile;
import io.mapaudit.agent.record.Sites;
import io.mapaudit.bootstrap.MapOp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the report tree of DESIGN §6 (the stable schema that tests and tools read) from the
 * drainer's state. Drainer thread only. Operation counts are sampled counts scaled by the sampling
 * interval: exact at {@code sampling=1}, estimates otherwise.
 */
public final class ReportBuilder {
  /** Maps listed in a report, the busiest first. */
  public static final int MAX_REPORTED_MAPS = 500;

  /** Extra per-map sections (heat) contributed by other components. */
  public interface MapSection {
    void addTo(MapProfile profile, Map<String, Object> map);
  }

  private final List<MapSection> sections = new ArrayList<>();

  public void addSection(MapSection s) {
    sections.add(s);
  }

  /**
   * The report tree; {@code agentInfo} becomes the {@code agent} object. Reads the aggregator,
   * changes nothing (the caller merges queued findings first).
   */
  public Map<String, Object> build(Aggregator agg, Map<String, Object> agentInfo) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("agent", agentInfo);
    List<Object> maps = new ArrayList<>();
    int sampling = agg.sampling();
    for (MapProfile p : agg.reportableProfiles()) {
      if (maps.size() >= MAX_REPORTED_MAPS) {
        break;
      }
      maps.add(map(p, sampling));
    }
    root.put("maps", maps);
    List<Object> findings = new ArrayList<>();
    for (Finding f : agg.findings().all()) {
      findings.add(finding(f));
    }
    findings.sort((a, b) -> severityRank(b) - severityRank(a));
    root.put("findings", findings);
    return root;
  }

  private Map<String, Object> map(MapProfile p, int sampling) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mapId", p.mapId());
    m.put("mapType", p.mapType());
    m.put("site", p.site());
    m.put("siteKind", p.allocationSite() ? "allocation" : "firstSeen");
    Map<String, Object> ops = new LinkedHashMap<>();
    ops.put("get", p.ops(MapOp.GET) * sampling);
    ops.put("put", p.ops(MapOp.PUT) * sampling);
    ops.put("remove", p.ops(MapOp.REMOVE) * sampling);
    for (int op = 0; op < MapOp.COUNT; op++) {
      if (op != MapOp.GET && op != MapOp.PUT && op != MapOp.REMOVE && op != MapOp.CONSTRUCT
          && p.ops(op) > 0) {
        ops.put(MapOp.name(op), p.ops(op) * sampling);
      }
    }
    m.put("ops", ops);
    m.put("sampledOps", p.sampledOps());
    m.put("writerThreads", p.writerCount());
    List<Object> writers = new ArrayList<>();
    for (int i = 0; i < p.listedWriters(); i++) {
      writers.add(p.writerName(i));
    }
    m.put("writerThreadNames", writers);
    m.put("hotKeys", new ArrayList<>());
    Map<String, Object> misses = new LinkedHashMap<>();
    misses.put("count", p.misses() * sampling);
    List<Object> missKeys = new ArrayList<>();
    p.missKeys().entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> {
          Map<String, Object> k = new LinkedHashMap<>();
          k.put("key", e.getKey());
          k.put("count", e.getValue() * sampling);
          missKeys.add(k);
        });
    misses.put("hotKeys", missKeys);
    m.put("misses", misses);
    m.put("latencyNanos", new LinkedHashMap<>());
    for (MapSection s : sections) {
      s.addTo(p, m);
    }
    return m;
  }

  private static Map<String, Object> finding(Finding f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", f.kind().name());
    m.put("severity", f.severity().label());
    m.put("mapType", f.mapType());
    m.put("mapId", f.mapId());
    m.put("site", f.site());
    m.put("otherSite", f.otherSite());
    m.put("threads", f.threads());
    m.put("key", f.key());
    m.put("count", f.count());
    m.put("firstSeen", Instant.ofEpochMilli(f.firstSeen()).toString());
    m.put("lastSeen", Instant.ofEpochMilli(f.lastSeen()).toString());
    m.put("detail", f.detail());
    m.put("stack", frames(f.stack()));
    m.put("otherStack", frames(f.otherStack()));
    return m;
  }

  private static List<Object> frames(List<StackTraceElement> stack) {
    List<Object> out = new ArrayList<>();
    for (StackTraceElement e : stack) {
      out.add(Sites.format(e));
    }
    return out;
  }

  private static int severityRank(Object finding) {
    Object s = ((Map<?, ?>) finding).get("severity");
    return "error".equals(s) ? 2 : "warning".equals(s) ? 1 : 0;
  }
}

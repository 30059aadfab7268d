package io.mapaudit.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The short console summary printed at exit: a count by severity, the findings as a table
 * (kind, severity, site, count, key), then one line per top map.
 */
final class ExitSummary {
  private static final int TOP_MAPS = 5;
  private static final int TOP_FINDINGS = 20;

  private ExitSummary() {}

  static void print(Map<String, Object> report, Path json) {
    for (String line : lines(report, json)) {
      AgentConsole.line(line);
    }
  }

  static List<String> lines(Map<String, Object> report, Path json) {
    List<?> findings = (List<?>) report.get("findings");
    List<?> maps = (List<?>) report.get("maps");
    int errors = 0;
    int warnings = 0;
    for (Object o : findings) {
      Object s = ((Map<?, ?>) o).get("severity");
      if ("error".equals(s)) {
        errors++;
      } else if ("warning".equals(s)) {
        warnings++;
      }
    }
    List<String> out = new java.util.ArrayList<>();
    out.add(maps.size() + " maps, " + findings.size() + " findings (" + errors + " errors, "
        + warnings + " warnings); report " + json);
    if (!findings.isEmpty()) {
      out.add(String.format("  %-26s %-8s %8s  %-24s %s", "KIND", "SEVERITY", "COUNT", "KEY",
          "SITE"));
    }
    for (int i = 0; i < Math.min(TOP_FINDINGS, findings.size()); i++) {
      Map<?, ?> f = (Map<?, ?>) findings.get(i);
      Object key = f.get("key");
      out.add(String.format("  %-26s %-8s %8s  %-24s %s", f.get("kind"), f.get("severity"),
          f.get("count"), key == null ? "-" : clip(key.toString(), 24), f.get("site")));
    }
    if (findings.size() > TOP_FINDINGS) {
      out.add("  ... " + (findings.size() - TOP_FINDINGS) + " more in the report");
    }
    for (int i = 0; i < Math.min(TOP_MAPS, maps.size()); i++) {
      Map<?, ?> m = (Map<?, ?>) maps.get(i);
      Map<?, ?> ops = (Map<?, ?>) m.get("ops");
      long total = 0;
      for (Object v : ops.values()) {
        total += ((Number) v).longValue();
      }
      StringBuilder keys = new StringBuilder();
      List<?> hot = (List<?>) m.get("hotKeys");
      for (int k = 0; hot != null && k < Math.min(3, hot.size()); k++) {
        Map<?, ?> h = (Map<?, ?>) hot.get(k);
        keys.append(k == 0 ? "; hot keys " : ", ").append(clip(String.valueOf(h.get("key")), 24))
            .append(String.format(" %.0f%%", ((Number) h.get("share")).doubleValue() * 100));
      }
      out.add("  map " + m.get("mapType") + " at " + m.get("site") + ": ~" + total + " ops, "
          + m.get("writerThreads") + " writer threads" + keys);
    }
    return out;
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}

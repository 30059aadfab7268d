package io.mapaudit.agent.report;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the report tree of DESIGN §6 as one self-contained HTML5 page: no scripts, no external
 * fonts, styles or images; charts are inline SVG and stacks collapse with {@code <details>}.
 *
 * <p>Every text that comes from the audited application (keys, sites, stack frames, thread names,
 * details, options) is escaped. Missing or null fields are tolerated: sections are left out or
 * state that they are empty. The output depends only on the tree (no clock, no default locale),
 * so the same report renders to the same bytes. Stateless and thread-safe.
 */
public final class HtmlReport implements ReportFiles.HtmlRenderer {
  /*
   * Design notes.
   *
   * Safety: the page is read during incidents, possibly from a shared location, and its text comes
   * from the application under audit, so a map key like "<script>…" must stay text. Two layers:
   * everything user-derived goes through esc() (& < > " ' in text and attributes alike, control
   * characters made visible), and a Content-Security-Policy meta tag forbids scripts and every
   * fetch, so an escaping slip could not run code or call out. Element ids are generated
   * ("finding-3", "map-2"), never taken from the data. HtmlReportTest feeds hostile keys, sites,
   * thread names and details.
   *
   * Size: maps are capped at MAX_MAPS (busiest by operations), findings at MAX_FINDINGS, stacks
   * at MAX_FRAMES (the agent already caps them at Sites.MAX_FRAMES), texts at MAX_TEXT characters.
   * The JSON beside the page has everything.
   *
   * Charts are plain SVG drawn here with a fixed viewBox that scales to the column width. Text in
   * SVG uses the page fonts through CSS classes; long labels are clipped with the full text in a
   * <title> tooltip. Latency spans decades, so its axis is log10 with decade ticks.
   */

  /** Maps shown, the busiest first. */
  static final int MAX_MAPS = 20;
  /** Findings shown, the most severe first. */
  static final int MAX_FINDINGS = 200;
  /** Frames shown per stack. */
  static final int MAX_FRAMES = 64;
  /** Hot keys charted per map. */
  static final int MAX_HOT_KEYS = 20;
  /** Missed keys listed per map. */
  static final int MAX_MISS_KEYS = 10;
  /** Characters shown of any single text; longer ones end in "…". */
  static final int MAX_TEXT = 2_000;
  /** Characters of a key shown as a chart label. */
  private static final int LABEL_CHARS = 30;

  private static final String[] SEVERITIES = {"error", "warning", "info"};
  private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; "
      + "img-src data:; base-uri 'none'; form-action 'none'";

  @Override
  public String render(Map<String, Object> report) {
    Map<?, ?> root = report == null ? Collections.emptyMap() : report;
    Map<?, ?> agent = obj(root.get("agent"));
    List<Map<?, ?>> findings = objects(root.get("findings"));
    findings.sort((a, b) -> rank(str(b.get("severity"))) - rank(str(a.get("severity"))));
    List<Map<?, ?>> allMaps = objects(root.get("maps"));
    List<Map<?, ?>> maps = new ArrayList<>(allMaps);
    maps.sort((a, b) -> Double.compare(totalOps(b), totalOps(a)));
    if (maps.size() > MAX_MAPS) {
      maps = new ArrayList<>(maps.subList(0, MAX_MAPS));
    }
    long sampling = Math.max(1, lng(agent.get("sampling"), 1));

    // Generated anchors: finding i → "finding-i", shown map j → "map-j" (by mapId).
    Map<String, String> mapAnchors = new HashMap<>();
    for (int i = 0; i < maps.size(); i++) {
      String id = str(maps.get(i).get("mapId"));
      if (id != null) {
        mapAnchors.putIfAbsent(id, "map-" + (i + 1));
      }
    }

    StringBuilder sb = new StringBuilder(64 * 1024);
    head(sb, agent);
    sb.append("<body>\n<main>\n");
    header(sb, agent, findings, allMaps.size(), sampling);
    summary(sb, findings);
    findings(sb, findings, mapAnchors);
    maps(sb, maps, allMaps.size(), findings, sampling);
    footer(sb, agent);
    sb.append("</main>\n</body>\n</html>\n");
    return sb.toString();
  }

  // ---------------------------------------------------------------- page frame

  private static void head(StringBuilder sb, Map<?, ?> agent) {
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP)
        .append("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"mapaudit\">\n<title>mapaudit report");
    String pid = str(agent.get("pid"));
    if (pid != null) {
      sb.append(" · pid ").append(esc(pid));
    }
    sb.append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n");
  }

  private static void header(StringBuilder sb, Map<?, ?> agent, List<Map<?, ?>> findings,
      int mapCount, long sampling) {
    int[] bySeverity = new int[3];
    for (Map<?, ?> f : findings) {
      int r = rank(str(f.get("severity")));
      if (r > 0) {
        bySeverity[3 - r]++;
      }
    }
    sb.append("<header>\n<h1>mapaudit report</h1>\n<p class=\"sub\">");
    List<String> parts = new ArrayList<>();
    addIf(parts, "pid ", agent.get("pid"));
    addIf(parts, "", agent.get("jvm"));
    addIf(parts, "", agent.get("mode"));
    addIf(parts, "started ", agent.get("startedAt"));
    sb.append(esc(String.join(" · ", parts))).append("</p>\n");

    String state = bySeverity[0] > 0 ? "error" : bySeverity[1] > 0 ? "warning" : "ok";
    sb.append("<p class=\"verdict ").append(state).append("\">");
    if (findings.isEmpty()) {
      sb.append("No findings");
    } else {
      sb.append(plural(findings.size(), "finding")).append(": ");
      sb.append(plural(bySeverity[0], "error")).append(", ")
          .append(plural(bySeverity[1], "warning")).append(", ")
          .append(bySeverity[2]).append(" info");
    }
    sb.append(" · ").append(plural(mapCount, "map")).append(" reported");
    Object tracked = agent.get("trackedMaps");
    if (tracked != null) {
      sb.append(" (").append(esc(fmt(tracked))).append(" tracked)");
    }
    sb.append("</p>\n");

    notes(sb, agent, sampling);

    sb.append("<dl class=\"facts\">\n");
    fact(sb, "version", agent.get("version"));
    if (agent.get("sampling") != null) {
      fact(sb, "sampling", "1 in " + fmt(agent.get("sampling")) + " operations");
    }
    fact(sb, "auditing", agent.get("auditing") == null ? null
        : Boolean.TRUE.equals(agent.get("auditing")) ? "on" : "off");
    fact(sb, "records", agent.get("records"));
    fact(sb, "dropped records", agent.get("droppedRecords"));
    fact(sb, "tracked maps", agent.get("trackedMaps"));
    fact(sb, "maps collected", agent.get("mapsCollected"));
    fact(sb, "maps evicted", agent.get("mapsEvicted"));
    fact(sb, "dropped finding events", agent.get("droppedFindingEvents"));
    fact(sb, "findings overflow", agent.get("findingsOverflow"));
    fact(sb, "advice errors", agent.get("adviceErrors"));
    sb.append("</dl>\n");

    List<?> classes = list(agent.get("instrumentedClasses"));
    Map<?, ?> options = obj(agent.get("options"));
    if (!classes.isEmpty() || !options.isEmpty()) {
      sb.append("<div class=\"more\">\n");
      if (!classes.isEmpty()) {
        sb.append("<details><summary>instrumented classes (").append(classes.size())
            .append(")</summary><pre>");
        for (Object c : classes) {
          sb.append(esc(clip(str(c), MAX_TEXT))).append('\n');
        }
        sb.append("</pre></details>\n");
      }
      if (!options.isEmpty()) {
        sb.append("<details><summary>agent options (").append(options.size())
            .append(")</summary><pre>");
        for (Map.Entry<?, ?> e : options.entrySet()) {
          sb.append(esc(clip(str(e.getKey()) + "=" + str(e.getValue()), MAX_TEXT))).append('\n');
        }
        sb.append("</pre></details>\n");
      }
      sb.append("</div>\n");
    }
    sb.append("</header>\n");
    sb.append("<nav><a href=\"#summary\">Summary</a><a href=\"#findings\">Findings</a>")
        .append("<a href=\"#maps\">Maps</a></nav>\n");
  }

  /** Caveats the reader must know before trusting the numbers. */
  private static void notes(StringBuilder sb, Map<?, ?> agent, long sampling) {
    List<String> bad = new ArrayList<>();
    List<String> info = new ArrayList<>();
    long adviceErrors = lng(agent.get("adviceErrors"), 0);
    if (adviceErrors > 0) {
      bad.add(plural(adviceErrors, "advice error") + ": the agent swallowed exceptions in its "
          + "instrumentation, so some operations were not recorded.");
    }
    long dropped = lng(agent.get("droppedRecords"), 0);
    if (dropped > 0) {
      bad.add(fmt(dropped) + " records dropped (buffers full): counts are lower than the truth.");
    }
    long droppedEvents = lng(agent.get("droppedFindingEvents"), 0);
    long overflow = lng(agent.get("findingsOverflow"), 0);
    if (droppedEvents > 0 || overflow > 0) {
      bad.add("finding events lost: " + fmt(droppedEvents) + " dropped, " + fmt(overflow)
          + " over the finding limit.");
    }
    if (Boolean.FALSE.equals(agent.get("auditing"))) {
      info.add("Auditing was off when this report was taken (disabled or detached).");
    }
    String detach = str(agent.get("detach"));
    if (detach != null) {
      info.add("Detached: " + detach);
    }
    if (sampling > 1) {
      info.add("Operation counts are estimates: 1 in " + fmt(sampling)
          + " operations was sampled and counts were scaled by " + fmt(sampling) + ".");
    }
    if (bad.isEmpty() && info.isEmpty()) {
      return;
    }
    sb.append("<ul class=\"notes\">\n");
    for (String s : bad) {
      sb.append("<li class=\"bad\">").append(esc(clip(s, MAX_TEXT))).append("</li>\n");
    }
    for (String s : info) {
      sb.append("<li>").append(esc(clip(s, MAX_TEXT))).append("</li>\n");
    }
    sb.append("</ul>\n");
  }

  private static void footer(StringBuilder sb, Map<?, ?> agent) {
    sb.append("<footer>Rendered by mapaudit");
    String version = str(agent.get("version"));
    if (version != null) {
      sb.append(' ').append(esc(version));
    }
    sb.append(" from the report tree; the JSON report beside this page holds the same data, "
        + "uncapped.</footer>\n");
  }

  // ---------------------------------------------------------------- summary

  private static void summary(StringBuilder sb, List<Map<?, ?>> findings) {
    sb.append("<section id=\"summary\">\n<h2>Summary by kind and severity</h2>\n");
    if (findings.isEmpty()) {
      sb.append("<p class=\"empty\">No findings: no detector reported a problem with the maps "
          + "it audited.</p>\n</section>\n");
      return;
    }
    // kind → [error, warning, info, other, occurrences]
    Map<String, long[]> byKind = new LinkedHashMap<>();
    for (Map<?, ?> f : findings) {
      long[] c = byKind.computeIfAbsent(orDash(str(f.get("kind"))), k -> new long[5]);
      int r = rank(str(f.get("severity")));
      c[r == 0 ? 3 : 3 - r]++;
      c[4] += Math.max(0, lng(f.get("count"), 0));
    }
    List<Map.Entry<String, long[]>> rows = new ArrayList<>(byKind.entrySet());
    rows.sort((a, b) -> {
      int c = Integer.compare(worst(b.getValue()), worst(a.getValue()));
      if (c == 0) {
        c = Long.compare(findingsOf(b.getValue()), findingsOf(a.getValue()));
      }
      return c != 0 ? c : a.getKey().compareTo(b.getKey());
    });

    sb.append("<div class=\"cols\">\n<table class=\"num\">\n<thead><tr><th>kind</th>")
        .append("<th>error</th><th>warning</th><th>info</th><th>findings</th>")
        .append("<th>occurrences</th></tr></thead>\n<tbody>\n");
    long[] total = new long[5];
    for (Map.Entry<String, long[]> e : rows) {
      long[] c = e.getValue();
      String about = about(e.getKey());
      sb.append("<tr><td class=\"kind\"");
      if (about != null) {
        sb.append(" title=\"").append(esc(about)).append('"');
      }
      sb.append('>').append(esc(e.getKey())).append("</td>");
      for (int i = 0; i < 3; i++) {
        sb.append(c[i] > 0 ? "<td class=\"sev-" + SEVERITIES[i] + "-text\">" : "<td class=\"zero\">")
            .append(fmt(c[i])).append("</td>");
      }
      sb.append("<td>").append(fmt(findingsOf(c))).append("</td><td>").append(fmt(c[4]))
          .append("</td></tr>\n");
      for (int i = 0; i < 5; i++) {
        total[i] += c[i];
      }
    }
    sb.append("</tbody>\n<tfoot><tr><td>total</td>");
    for (int i = 0; i < 3; i++) {
      sb.append("<td>").append(fmt(total[i])).append("</td>");
    }
    sb.append("<td>").append(fmt(findingsOf(total))).append("</td><td>").append(fmt(total[4]))
        .append("</td></tr></tfoot>\n</table>\n");

    // Findings per kind, stacked by severity.
    int w = 500;
    int labelW = 190;
    int barX = labelW + 8;
    int barMax = w - barX - 90;
    int row = 24;
    int h = rows.size() * row + 30;
    long max = 1;
    for (Map.Entry<String, long[]> e : rows) {
      max = Math.max(max, findingsOf(e.getValue()));
    }
    sb.append("<figure>\n");
    svgOpen(sb, w, h, "findings per kind, by severity");
    for (int i = 0; i < rows.size(); i++) {
      long[] c = rows.get(i).getValue();
      int y = i * row;
      sb.append("<text class=\"lbl mono\" x=\"").append(labelW).append("\" y=\"").append(y + 16)
          .append("\" text-anchor=\"end\">").append(esc(clip(rows.get(i).getKey(), 26)))
          .append("</text>");
      double x = barX;
      for (int s = 0; s < 4; s++) {
        if (c[s] == 0) {
          continue;
        }
        double bw = (double) c[s] / max * barMax;
        String sev = s < 3 ? SEVERITIES[s] : "other";
        sb.append("<rect class=\"sev-").append(sev).append("\" x=\"").append(px(x))
            .append("\" y=\"").append(y + 4).append("\" width=\"").append(px(bw))
            .append("\" height=\"16\"><title>").append(esc(rows.get(i).getKey())).append(": ")
            .append(plural(c[s], sev + " finding")).append("</title></rect>");
        x += bw;
      }
      sb.append("<text class=\"val\" x=\"").append(px(x + 6)).append("\" y=\"").append(y + 16)
          .append("\">").append(fmt(findingsOf(c))).append(" (×").append(fmt(c[4]))
          .append(")</text>\n");
    }
    int ly = rows.size() * row + 12;
    int lx = barX;
    for (String sev : SEVERITIES) {
      sb.append("<rect class=\"sev-").append(sev).append("\" x=\"").append(lx).append("\" y=\"")
          .append(ly).append("\" width=\"10\" height=\"10\"/><text class=\"val\" x=\"")
          .append(lx + 14).append("\" y=\"").append(ly + 9).append("\">").append(sev)
          .append("</text>");
      lx += 80;
    }
    sb.append("\n</svg>\n<figcaption class=\"muted small\">Findings per kind by severity; "
        + "occurrences in parentheses.</figcaption>\n</figure>\n</div>\n</section>\n");
  }

  // ---------------------------------------------------------------- findings

  private static void findings(StringBuilder sb, List<Map<?, ?>> findings,
      Map<String, String> mapAnchors) {
    sb.append("<section id=\"findings\">\n<h2>Findings</h2>\n");
    if (findings.isEmpty()) {
      sb.append("<p class=\"empty\">No findings.</p>\n</section>\n");
      return;
    }
    int shown = Math.min(findings.size(), MAX_FINDINGS);
    if (shown < findings.size()) {
      sb.append("<p class=\"muted\">Showing the ").append(shown).append(" most severe of ")
          .append(fmt(findings.size())).append(" findings; the JSON report has them all.</p>\n");
    }
    // An index first: one line per finding, the details below.
    sb.append("<table class=\"index\">\n<thead><tr><th>#</th><th>severity</th><th>kind</th>")
        .append("<th>site</th><th>key</th><th class=\"r\">count</th></tr></thead>\n<tbody>\n");
    for (int i = 0; i < shown; i++) {
      Map<?, ?> f = findings.get(i);
      sb.append("<tr><td><a href=\"#finding-").append(i + 1).append("\">").append(i + 1)
          .append("</a></td><td>");
      badge(sb, str(f.get("severity")));
      sb.append("</td><td class=\"kind\">").append(esc(orDash(str(f.get("kind")))))
          .append("</td><td><code>").append(esc(clip(orDash(str(f.get("site"))), 160)))
          .append("</code></td><td><code>").append(esc(clip(orDash(str(f.get("key"))), 60)))
          .append("</code></td><td class=\"r\">").append(esc(fmt(f.get("count"))))
          .append("</td></tr>\n");
    }
    sb.append("</tbody>\n</table>\n");

    for (int i = 0; i < shown; i++) {
      finding(sb, findings.get(i), i + 1, mapAnchors);
    }
    sb.append("</section>\n");
  }

  private static void finding(StringBuilder sb, Map<?, ?> f, int n,
      Map<String, String> mapAnchors) {
    String severity = severityClass(str(f.get("severity")));
    String kind = orDash(str(f.get("kind")));
    sb.append("<article class=\"finding sev-").append(severity).append("-edge\" id=\"finding-")
        .append(n).append("\">\n<h3><span class=\"n\">#").append(n).append("</span> ");
    badge(sb, str(f.get("severity")));
    sb.append(" <span class=\"kind\">").append(esc(kind)).append("</span>");
    if (f.get("count") != null) {
      sb.append(" <span class=\"muted\">× ").append(esc(fmt(f.get("count")))).append("</span>");
    }
    sb.append("</h3>\n");
    String about = about(kind);
    if (about != null) {
      sb.append("<p class=\"muted small\">").append(esc(about)).append("</p>\n");
    }
    String detail = str(f.get("detail"));
    if (detail != null) {
      sb.append("<p class=\"detail\">").append(esc(clip(detail, MAX_TEXT))).append("</p>\n");
    }
    sb.append("<dl class=\"kv\">\n");
    kvCode(sb, "site", f.get("site"));
    kvCode(sb, "other site", f.get("otherSite"));
    String mapType = str(f.get("mapType"));
    String mapId = str(f.get("mapId"));
    if (mapType != null || mapId != null) {
      sb.append("<dt>map</dt><dd>");
      if (mapType != null) {
        sb.append("<code>").append(esc(clip(mapType, MAX_TEXT))).append("</code> ");
      }
      if (mapId != null) {
        String anchor = mapAnchors.get(mapId);
        if (anchor != null) {
          sb.append("<a href=\"#").append(anchor).append("\">").append(esc(clip(mapId, 200)))
              .append("</a>");
        } else {
          sb.append("<span class=\"muted\">").append(esc(clip(mapId, 200))).append("</span>");
        }
      }
      sb.append("</dd>\n");
    }
    List<?> threads = list(f.get("threads"));
    if (!threads.isEmpty()) {
      sb.append("<dt>threads</dt><dd>");
      codeList(sb, threads);
      sb.append("</dd>\n");
    }
    kvCode(sb, "key", f.get("key"));
    String first = str(f.get("firstSeen"));
    String last = str(f.get("lastSeen"));
    if (first != null || last != null) {
      sb.append("<dt>seen</dt><dd>first ").append(esc(orDash(first))).append(", last ")
          .append(esc(orDash(last)));
      String span = span(first, last);
      if (span != null) {
        sb.append(" <span class=\"muted\">(").append(span).append(" apart)</span>");
      }
      sb.append("</dd>\n");
    }
    sb.append("</dl>\n");
    stack(sb, "stack", f.get("stack"));
    if (f.get("otherSite") != null || !list(f.get("otherStack")).isEmpty()) {
      stack(sb, "other stack", f.get("otherStack"));
    }
    sb.append("</article>\n");
  }

  private static void stack(StringBuilder sb, String name, Object frames) {
    List<?> stack = list(frames);
    if (stack.isEmpty()) {
      sb.append("<p class=\"muted small\">").append(name).append(": not captured</p>\n");
      return;
    }
    sb.append("<details class=\"stack\"><summary>").append(name)
        .append(" <span class=\"muted\">(").append(plural(stack.size(), "frame"))
        .append(")</span></summary><pre>");
    int shown = Math.min(stack.size(), MAX_FRAMES);
    for (int i = 0; i < shown; i++) {
      String frame = clip(orDash(str(stack.get(i))), 500);
      boolean jdk = frame.startsWith("java.") || frame.startsWith("jdk.")
          || frame.startsWith("sun.") || frame.startsWith("com.sun.");
      sb.append(jdk ? "<span class=\"jdk\">at " : "at ").append(esc(frame))
          .append(jdk ? "</span>\n" : "\n");
    }
    if (shown < stack.size()) {
      sb.append("… ").append(stack.size() - shown).append(" more\n");
    }
    sb.append("</pre></details>\n");
  }

  // ---------------------------------------------------------------- maps

  private static void maps(StringBuilder sb, List<Map<?, ?>> maps, int total,
      List<Map<?, ?>> findings, long sampling) {
    sb.append("<section id=\"maps\">\n<h2>Maps</h2>\n");
    if (maps.isEmpty()) {
      sb.append("<p class=\"empty\">No maps in this report: no application map was used "
          + "while auditing was on.</p>\n</section>\n");
      return;
    }
    sb.append("<p class=\"muted\">");
    if (maps.size() < total) {
      sb.append("The ").append(maps.size()).append(" busiest of ").append(fmt(total))
          .append(" reported maps, by operations.");
    } else {
      sb.append(plural(maps.size(), "map")).append(", the busiest first.");
    }
    sb.append("</p>\n");
    // Map ids → finding numbers, for links back to the findings.
    Map<String, List<Integer>> findingsByMap = new HashMap<>();
    for (int i = 0; i < Math.min(findings.size(), MAX_FINDINGS); i++) {
      String id = str(findings.get(i).get("mapId"));
      if (id != null) {
        findingsByMap.computeIfAbsent(id, k -> new ArrayList<>()).add(i);
      }
    }
    String approx = sampling > 1 ? "~" : "";
    for (int i = 0; i < maps.size(); i++) {
      map(sb, maps.get(i), i + 1, findings, findingsByMap, approx);
    }
    sb.append("</section>\n");
  }

  private static void map(StringBuilder sb, Map<?, ?> m, int n, List<Map<?, ?>> findings,
      Map<String, List<Integer>> findingsByMap, String approx) {
    String mapId = str(m.get("mapId"));
    sb.append("<article class=\"map\" id=\"map-").append(n).append("\">\n<h3><span class=\"n\">")
        .append(n).append(".</span> <code>").append(esc(clip(orDash(str(m.get("mapType"))), 200)))
        .append("</code>");
    if (mapId != null) {
      sb.append(" <span class=\"muted\">").append(esc(clip(mapId, 200))).append("</span>");
    }
    sb.append("</h3>\n<dl class=\"kv\">\n");
    String siteKind = str(m.get("siteKind"));
    String siteLabel = "allocation".equals(siteKind) ? "allocated at"
        : "firstSeen".equals(siteKind) ? "first seen at" : "site";
    kvCode(sb, siteLabel, m.get("site"));
    double ops = totalOps(m);
    sb.append("<dt>operations</dt><dd>").append(approx).append(fmt((long) ops));
    if (m.get("sampledOps") != null) {
      sb.append(" <span class=\"muted\">(").append(esc(fmt(m.get("sampledOps"))))
          .append(" sampled)</span>");
    }
    sb.append("</dd>\n");
    Object writers = m.get("writerThreads");
    List<?> writerNames = list(m.get("writerThreadNames"));
    if (writers != null || !writerNames.isEmpty()) {
      sb.append("<dt>writer threads</dt><dd>");
      if (writers != null) {
        sb.append(esc(fmt(writers)));
        if (!writerNames.isEmpty()) {
          sb.append(": ");
        }
      }
      codeList(sb, writerNames);
      sb.append("</dd>\n");
    }
    List<Integer> mine = mapId == null ? null : findingsByMap.get(mapId);
    if (mine != null) {
      sb.append("<dt>findings</dt><dd>");
      for (int k = 0; k < mine.size(); k++) {
        int idx = mine.get(k);
        if (k > 0) {
          sb.append(", ");
        }
        sb.append("<a href=\"#finding-").append(idx + 1).append("\">#").append(idx + 1)
            .append(' ').append(esc(orDash(str(findings.get(idx).get("kind"))))).append("</a>");
      }
      sb.append("</dd>\n");
    }
    sb.append("</dl>\n<div class=\"panels\">\n");
    opsPanel(sb, obj(m.get("ops")), ops, approx);
    hotKeysPanel(sb, objects(m.get("hotKeys")), approx);
    heatPanel(sb, m.get("heat"), approx);
    latencyPanel(sb, obj(m.get("latencyNanos")));
    missesPanel(sb, m.get("misses"), approx);
    sb.append("</div>\n");
    List<String> absent = new ArrayList<>();
    if (objects(m.get("hotKeys")).isEmpty()) {
      absent.add("hot keys");
    }
    if (!(m.get("heat") instanceof Map)) {
      absent.add("heat");
    }
    if (obj(m.get("latencyNanos")).isEmpty()) {
      absent.add("latency");
    }
    if (!absent.isEmpty()) {
      String last = absent.remove(absent.size() - 1);
      String what = absent.isEmpty() ? last : String.join(", ", absent) + " or " + last;
      sb.append("<p class=\"empty small\">No ").append(what)
          .append(" for this map in this report (keys off, heat not tracked, or nothing "
              + "sampled).</p>\n");
    }
    sb.append("</article>\n");
  }

  private static void opsPanel(StringBuilder sb, Map<?, ?> ops, double total, String approx) {
    sb.append("<div class=\"panel narrow\">\n<h4>Operations</h4>\n");
    if (ops.isEmpty()) {
      sb.append("<p class=\"empty\">none recorded</p>\n</div>\n");
      return;
    }
    sb.append("<table class=\"num\"><thead><tr><th>operation</th><th>count</th>")
        .append("<th>share</th></tr></thead><tbody>\n");
    for (Map.Entry<?, ?> e : ops.entrySet()) {
      double c = num(e.getValue());
      boolean zero = !(c > 0);
      sb.append(zero ? "<tr class=\"zero\">" : "<tr>").append("<td>")
          .append(esc(clip(str(e.getKey()), 80))).append("</td><td>")
          .append(zero ? "0" : approx + fmt((long) c)).append("</td><td>")
          .append(total > 0 && !zero ? esc(pct(c / total)) : "").append("</td></tr>\n");
    }
    sb.append("</tbody></table>\n</div>\n");
  }

  private static void hotKeysPanel(StringBuilder sb, List<Map<?, ?>> keys, String approx) {
    if (keys.isEmpty()) {
      return;
    }
    sb.append("<div class=\"panel wide\">\n<h4>Hot keys <span class=\"muted\">share of "
        + "operations</span></h4>\n");
    int shown = Math.min(keys.size(), MAX_HOT_KEYS);
    double max = 0;
    for (int i = 0; i < shown; i++) {
      max = Math.max(max, num(keys.get(i).get("share")));
    }
    int w = 640;
    int labelW = 236;
    int barX = labelW + 8;
    int barMax = 250;
    int row = 20;
    svgOpen(sb, w, shown * row + 4, "hot keys by share of operations");
    for (int i = 0; i < shown; i++) {
      Map<?, ?> k = keys.get(i);
      String key = keyText(k.get("key"));
      double share = num(k.get("share"));
      int y = i * row;
      double bw = max > 0 && share > 0 ? Math.max(1.5, share / max * barMax) : 0;
      StringBuilder tip = new StringBuilder(key);
      if (share >= 0) {
        tip.append(": ").append(pct(share));
      }
      if (k.get("count") != null) {
        tip.append(", ").append(approx).append(fmt(k.get("count")));
        if (lng(k.get("error"), 0) > 0) {
          tip.append(" ± ").append(fmt(k.get("error")));
        }
        tip.append(" ops");
      }
      sb.append("<g><title>").append(esc(clip(tip.toString(), MAX_TEXT))).append("</title>")
          .append("<text class=\"lbl mono\" x=\"").append(labelW).append("\" y=\"").append(y + 14)
          .append("\" text-anchor=\"end\">").append(esc(clip(key, LABEL_CHARS))).append("</text>")
          .append("<rect class=\"bar\" x=\"").append(barX).append("\" y=\"").append(y + 3)
          .append("\" width=\"").append(px(bw)).append("\" height=\"14\"/>")
          .append("<text class=\"val\" x=\"").append(px(barX + bw + 6)).append("\" y=\"")
          .append(y + 14).append("\">").append(share >= 0 ? esc(pct(share)) : "–");
      if (k.get("count") != null) {
        sb.append(" · ").append(approx).append(esc(fmt(k.get("count"))));
      }
      sb.append("</text></g>\n");
    }
    sb.append("</svg>\n");
    if (shown < keys.size()) {
      sb.append("<p class=\"muted small\">").append(keys.size() - shown)
          .append(" more keys in the JSON report.</p>\n");
    }
    sb.append("<p class=\"muted small\">Bars are relative to the hottest key; labels give its "
        + "share of the map's keyed operations and the estimated count.</p>\n</div>\n");
  }

  private static void heatPanel(StringBuilder sb, Object heatObj, String approx) {
    if (!(heatObj instanceof Map)) {
      return;
    }
    Map<?, ?> heat = (Map<?, ?>) heatObj;
    sb.append("<div class=\"panel\">\n<h4>Heat");
    String window = str(heat.get("window"));
    if (window != null) {
      String w = "last".equals(window) ? "last complete window"
          : "current".equals(window) ? "current window (incomplete)" : window + " window";
      sb.append(" <span class=\"muted\">").append(esc(w)).append("</span>");
    }
    sb.append("</h4>\n");
    String[][] rows = {
      {"top 1 key", "top1Share", "bar"},
      {"top 10 keys", "top10Share", "bar"},
      {"top 100 keys", "top100Share", "bar"},
      {"untracked", "untrackedShare", "untracked"},
    };
    int w = 400;
    int labelW = 96;
    int barX = labelW + 8;
    int barMax = 230;
    int row = 22;
    int h = rows.length * row + 18;
    svgOpen(sb, w, h, "share of accesses taken by the hottest keys");
    for (int q = 0; q <= 4; q++) {
      double x = barX + barMax * q / 4.0;
      sb.append("<line class=\"grid\" x1=\"").append(px(x)).append("\" x2=\"").append(px(x))
          .append("\" y1=\"0\" y2=\"").append(rows.length * row).append("\"/>")
          .append("<text class=\"tick\" x=\"").append(px(x)).append("\" y=\"").append(h - 4)
          .append("\" text-anchor=\"middle\">").append(q * 25).append("%</text>");
    }
    for (int i = 0; i < rows.length; i++) {
      double share = num(heat.get(rows[i][1]));
      int y = i * row;
      boolean known = share >= 0;
      double v = known ? Math.min(1, share) : 0;
      sb.append("<text class=\"lbl\" x=\"").append(labelW).append("\" y=\"").append(y + 15)
          .append("\" text-anchor=\"end\">").append(rows[i][0]).append("</text>")
          .append("<rect class=\"track\" x=\"").append(barX).append("\" y=\"").append(y + 4)
          .append("\" width=\"").append(barMax).append("\" height=\"14\"/>")
          .append("<rect class=\"").append(rows[i][2]).append("\" x=\"").append(barX)
          .append("\" y=\"").append(y + 4).append("\" width=\"").append(px(v * barMax))
          .append("\" height=\"14\"/>")
          .append("<text class=\"val\" x=\"").append(barX + barMax + 6).append("\" y=\"")
          .append(y + 15).append("\">").append(known ? esc(pct(share)) : "–").append("</text>\n");
    }
    sb.append("</svg>\n");
    if (heat.get("p50") != null || heat.get("p90") != null || heat.get("p99") != null) {
      sb.append("<p class=\"small\">Of the tracked accesses, 50% go to keys with at most <strong>")
          .append(approx).append(esc(fmt(heat.get("p50")))).append("</strong> hits, 90% to keys with "
              + "at most <strong>").append(approx).append(esc(fmt(heat.get("p90"))))
          .append("</strong>, 99% at most <strong>").append(approx).append(esc(fmt(heat.get("p99"))))
          .append("</strong>.</p>\n");
    }
    double untracked = num(heat.get("untrackedShare"));
    if (untracked > 0) {
      sb.append("<p class=\"muted small\">Untracked: ").append(esc(pct(untracked)))
          .append(" of accesses could not be attributed to a tracked key; the shares and "
              + "percentiles above describe the tracked part only.</p>\n");
    }
    sb.append("</div>\n");
  }

  private static void latencyPanel(StringBuilder sb, Map<?, ?> latency) {
    if (latency.isEmpty()) {
      return;
    }
    // Per operation ({op: {count, p50, …}}), or one flat {p50, p99, max} (the early schema).
    Map<String, Map<?, ?>> byOp = new LinkedHashMap<>();
    boolean flat = false;
    for (Map.Entry<?, ?> e : latency.entrySet()) {
      if (e.getValue() instanceof Map) {
        byOp.put(str(e.getKey()), (Map<?, ?>) e.getValue());
      } else {
        flat = true;
      }
    }
    if (byOp.isEmpty() && flat) {
      byOp.put("all", latency);
    }
    if (byOp.isEmpty()) {
      return;
    }
    sb.append("<div class=\"panel wide\">\n<h4>Latency <span class=\"muted\">sampled calls, "
        + "<span class=\"key p50\"></span>p50 and <span class=\"key p99\"></span>p99, "
        + "log scale</span></h4>\n");
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (Map<?, ?> s : byOp.values()) {
      for (String p : new String[] {"p50", "p99"}) {
        double v = num(s.get(p));
        if (v > 0) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (hi > 0) {
      double decadeLo = Math.pow(10, Math.floor(Math.log10(Math.max(1, lo))));
      double decadeHi = Math.pow(10, Math.ceil(Math.log10(hi)));
      if (decadeHi <= decadeLo) {
        decadeHi = decadeLo * 10;
      }
      int w = 640;
      int labelW = 120;
      int barX = labelW + 10;
      int barMax = 380;
      int row = 30;
      int n = byOp.size();
      int h = n * row + 22;
      double logLo = Math.log10(decadeLo);
      double logSpan = Math.log10(decadeHi) - logLo;
      svgOpen(sb, w, h, "latency per operation, p50 and p99, log scale");
      for (double d = decadeLo; d <= decadeHi * 1.0001; d *= 10) {
        double x = barX + (Math.log10(d) - logLo) / logSpan * barMax;
        sb.append("<line class=\"grid\" x1=\"").append(px(x)).append("\" x2=\"").append(px(x))
            .append("\" y1=\"0\" y2=\"").append(n * row).append("\"/>")
            .append("<text class=\"tick\" x=\"").append(px(x)).append("\" y=\"").append(h - 6)
            .append("\" text-anchor=\"middle\">").append(nanos(d)).append("</text>");
      }
      int i = 0;
      for (Map.Entry<String, Map<?, ?>> e : byOp.entrySet()) {
        int y = i++ * row;
        double p50 = num(e.getValue().get("p50"));
        double p99 = num(e.getValue().get("p99"));
        sb.append("<text class=\"lbl\" x=\"").append(labelW).append("\" y=\"").append(y + 19)
            .append("\" text-anchor=\"end\">").append(esc(clip(orDash(e.getKey()), 16)))
            .append("</text>");
        latencyBar(sb, "p50", p50, y + 4, barX, barMax, decadeLo, logLo, logSpan);
        latencyBar(sb, "p99", p99, y + 15, barX, barMax, decadeLo, logLo, logSpan);
        sb.append('\n');
      }
      sb.append("</svg>\n");
    }
    sb.append("<table class=\"num\"><thead><tr><th>operation</th><th>calls</th><th>p50</th>")
        .append("<th>p90</th><th>p99</th><th>max</th></tr></thead><tbody>\n");
    for (Map.Entry<String, Map<?, ?>> e : byOp.entrySet()) {
      Map<?, ?> s = e.getValue();
      sb.append("<tr><td>").append(esc(clip(orDash(e.getKey()), 80))).append("</td><td>")
          .append(esc(fmt(s.get("count")))).append("</td>");
      for (String p : new String[] {"p50", "p90", "p99", "max"}) {
        double v = num(s.get(p));
        sb.append("<td>").append(v >= 0 ? nanos(v) : "–").append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody></table>\n</div>\n");
  }

  private static void latencyBar(StringBuilder sb, String cls, double v, int y, int barX,
      int barMax, double decadeLo, double logLo, double logSpan) {
    if (!(v >= 0)) {
      return;
    }
    double x = (Math.log10(Math.max(v, decadeLo)) - logLo) / logSpan * barMax;
    double bw = Math.max(2, x);
    sb.append("<rect class=\"").append(cls).append("\" x=\"").append(barX).append("\" y=\"")
        .append(y).append("\" width=\"").append(px(bw)).append("\" height=\"10\"><title>")
        .append(cls).append(' ').append(nanos(v)).append("</title></rect>")
        .append("<text class=\"val small\" x=\"").append(px(barX + bw + 5)).append("\" y=\"")
        .append(y + 9).append("\">").append(cls).append(' ').append(nanos(v)).append("</text>");
  }

  private static void missesPanel(StringBuilder sb, Object missesObj, String approx) {
    if (!(missesObj instanceof Map)) {
      return;
    }
    Map<?, ?> misses = (Map<?, ?>) missesObj;
    List<Map<?, ?>> keys = objects(misses.get("hotKeys"));
    long count = lng(misses.get("count"), 0);
    if (count <= 0 && keys.isEmpty()) {
      return;
    }
    sb.append("<div class=\"panel narrow\">\n<h4>Misses <span class=\"muted\">").append(approx)
        .append(esc(fmt(misses.get("count")))).append(" reads of absent keys</span></h4>\n");
    if (keys.isEmpty()) {
      sb.append("<p class=\"empty\">no missed keys recorded</p>\n</div>\n");
      return;
    }
    sb.append("<table class=\"num\"><thead><tr><th>missed key</th><th>count</th>")
        .append("<th>share</th></tr></thead><tbody>\n");
    int shown = Math.min(keys.size(), MAX_MISS_KEYS);
    for (int i = 0; i < shown; i++) {
      Map<?, ?> k = keys.get(i);
      double c = num(k.get("count"));
      sb.append("<tr><td><code>").append(esc(clip(keyText(k.get("key")), 80)))
          .append("</code></td><td>").append(approx).append(esc(fmt(k.get("count"))))
          .append("</td><td>").append(count > 0 && c >= 0 ? esc(pct(c / count)) : "")
          .append("</td></tr>\n");
    }
    sb.append("</tbody></table>\n");
    if (shown < keys.size()) {
      sb.append("<p class=\"muted small\">").append(keys.size() - shown)
          .append(" more in the JSON report.</p>\n");
    }
    sb.append("</div>\n");
  }

  // ---------------------------------------------------------------- small pieces

  private static void svgOpen(StringBuilder sb, int w, int h, String label) {
    sb.append("<svg class=\"chart\" viewBox=\"0 0 ").append(w).append(' ').append(h)
        .append("\" width=\"").append(w).append("\" height=\"").append(h)
        .append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\">\n");
  }

  private static void badge(StringBuilder sb, String severity) {
    String s = severityClass(severity);
    sb.append("<span class=\"badge sev-").append(s).append("\">")
        .append(esc(severity == null ? "unknown" : clip(severity, 20))).append("</span>");
  }

  private static void fact(StringBuilder sb, String name, Object value) {
    if (value == null) {
      return;
    }
    sb.append("<div><dt>").append(name).append("</dt><dd>").append(esc(clip(fmt(value), 300)))
        .append("</dd></div>\n");
  }

  private static void kvCode(StringBuilder sb, String name, Object value) {
    String s = str(value);
    if (s == null) {
      return;
    }
    sb.append("<dt>").append(name).append("</dt><dd><code>").append(esc(clip(s, MAX_TEXT)))
        .append("</code></dd>\n");
  }

  private static void codeList(StringBuilder sb, List<?> items) {
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append("<code>").append(esc(clip(orDash(str(items.get(i))), 200))).append("</code>");
    }
  }

  /** One line on what a finding kind means (DESIGN §4); null for kinds this page does not know. */
  static String about(String kind) {
    switch (kind == null ? "" : kind) {
      case "CONCURRENT_WRITE":
        return "Two threads were inside mutating methods of the same non-thread-safe map at once.";
      case "READ_DURING_WRITE":
        return "A thread read a non-thread-safe map while another thread was inside a write.";
      case "LOST_UPDATE":
        return "Read-modify-write on a concurrent map was not atomic: another thread wrote the "
            + "key between this thread's read and its put.";
      case "CHECK_THEN_ACT":
        return "A miss then a put of the same key while another thread also put it: a racy fill "
            + "(use computeIfAbsent or putIfAbsent).";
      case "MODIFIED_DURING_ITERATION":
        return "The map was structurally modified while an iterator over it was live.";
      case "CROSS_THREAD_WRITES":
        return "A non-thread-safe map written by more than one thread; no overlap proven yet.";
      case "MISSING_KEY":
        return "get returned null for an absent key.";
      case "DEFAULT_ON_MISSING_KEY":
        return "getOrDefault returned the caller's default because the key was absent.";
      case "HOT_KEY":
        return "One key takes a large share of the map's operations.";
      default:
        return null;
    }
  }

  /**
   * {@code s} escaped for HTML text and attribute values alike: {@code & < > " '} become
   * entities, control characters other than tab and newline are shown as {@code \\uXXXX}, and
   * unpaired surrogates become U+FFFD.
   */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = null;
      switch (c) {
        case '&':
          rep = "&amp;";
          break;
        case '<':
          rep = "&lt;";
          break;
        case '>':
          rep = "&gt;";
          break;
        case '"':
          rep = "&quot;";
          break;
        case '\'':
          rep = "&#39;";
          break;
        default:
          if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c < 0xa0)) {
            rep = String.format(Locale.ROOT, "\\u%04x", (int) c);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
              if (out != null) {
                out.append(c).append(s.charAt(i + 1));
              }
              i++;
              continue;
            }
            rep = "\uFFFD";
          } else if (Character.isLowSurrogate(c)) {
            rep = "\uFFFD";
          }
      }
      if (rep != null) {
        if (out == null) {
          out = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        out.append(rep);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** {@code s} cut to at most {@code max} code points, the last one "…" when cut. */
  static String clip(String s, int max) {
    if (s == null || s.length() <= max || s.codePointCount(0, s.length()) <= max) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
  }

  private static String keyText(Object key) {
    return key == null ? "(key not recorded)" : str(key);
  }

  private static String span(String first, String last) {
    if (first == null || last == null) {
      return null;
    }
    try {
      Duration d = Duration.between(Instant.parse(first), Instant.parse(last));
      if (d.isNegative()) {
        return null;
      }
      long ms = d.toMillis();
      if (ms < 1_000) {
        return ms + " ms";
      }
      if (ms < 120_000) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1e3);
      }
      if (ms < 7_200_000) {
        return String.format(Locale.ROOT, "%.1f min", ms / 60e3);
      }
      return String.format(Locale.ROOT, "%.1f h", ms / 3_600e3);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static int rank(String severity) {
    return "error".equals(severity) ? 3 : "warning".equals(severity) ? 2
        : "info".equals(severity) ? 1 : 0;
  }

  private static String severityClass(String severity) {
    return rank(severity) == 0 ? "other" : severity;
  }

  private static int worst(long[] bySeverity) {
    return bySeverity[0] > 0 ? 3 : bySeverity[1] > 0 ? 2 : bySeverity[2] > 0 ? 1 : 0;
  }

  private static long findingsOf(long[] c) {
    return c[0] + c[1] + c[2] + c[3];
  }

  private static double totalOps(Map<?, ?> m) {
    double sum = 0;
    for (Object v : obj(m.get("ops")).values()) {
      double d = num(v);
      if (d > 0) {
        sum += d;
      }
    }
    return sum;
  }

  private static void addIf(List<String> parts, String prefix, Object v) {
    if (v != null) {
      parts.add(prefix + str(v));
    }
  }

  private static String plural(long n, String noun) {
    return fmt(n) + " " + noun + (n == 1 ? "" : "s");
  }

  private static String orDash(String s) {
    return s == null ? "–" : s;
  }

  /** Integers with thousands separators, other numbers as is, anything else as text. */
  static String fmt(Object v) {
    if (v == null) {
      return "–";
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
    }
    if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        return "–";
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return String.format(Locale.ROOT, "%,d", (long) d);
      }
      return String.format(Locale.ROOT, "%,.2f", d);
    }
    return String.valueOf(v);
  }

  /** A share in [0, 1] as a percentage, not escaped ("<0.1%"). */
  static String pct(double share) {
    if (!(share >= 0)) {
      return "–";
    }
    if (share > 0 && share < 0.001) {
      return "<0.1%";
    }
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  /** Nanoseconds in the largest unit that keeps them ≥ 1. */
  static String nanos(double ns) {
    if (ns < 1_000) {
      return String.format(Locale.ROOT, "%.0f ns", ns);
    }
    if (ns < 1_000_000) {
      return trim(ns / 1e3) + " µs";
    }
    if (ns < 1_000_000_000) {
      return trim(ns / 1e6) + " ms";
    }
    return trim(ns / 1e9) + " s";
  }

  private static String trim(double v) {
    return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String px(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  // ---------------------------------------------------------------- tree access

  private static Map<?, ?> obj(Object o) {
    return o instanceof Map ? (Map<?, ?>) o : Collections.emptyMap();
  }

  private static List<?> list(Object o) {
    return o instanceof Collection ? new ArrayList<>((Collection<?>) o) : Collections.emptyList();
  }

  private static List<Map<?, ?>> objects(Object o) {
    List<Map<?, ?>> out = new ArrayList<>();
    for (Object e : list(o)) {
      if (e instanceof Map) {
        out.add((Map<?, ?>) e);
      }
    }
    return out;
  }

  private static String str(Object o) {
    return o == null ? null : o instanceof String ? (String) o : String.valueOf(o);
  }

  /** The number, or NaN when {@code o} is not one. */
  private static double num(Object o) {
    if (o instanceof Number) {
      return ((Number) o).doubleValue();
    }
    if (o instanceof String) {
      try {
        return Double.parseDouble((String) o);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  private static long lng(Object o, long dflt) {
    double d = num(o);
    return Double.isFinite(d) ? (long) d : dflt;
  }

  private static final String STYLE = String.join("\n",
      ":root{--fg:#1b2230;--muted:#5d6878;--bg:#fff;--panel:#f6f8fa;--line:#d9dee5;",
      "--link:#0b5cad;--ok:#2e7d32;--err:#c0262d;--warn:#b35c00;--info:#2f6fd0;--other:#6b7280;",
      "--bar:#3b73b9;--p50:#8fb3e0;--p99:#2a5a9a;--untracked:#a3acb9;--track:#edf0f4;",
      "--grid:#e3e7ec;color-scheme:light dark}",
      "@media (prefers-color-scheme:dark){:root{--fg:#e3e8ef;--muted:#98a3b3;--bg:#14181e;",
      "--panel:#1c222a;--line:#323a45;--link:#79b4ff;--ok:#6cc070;--err:#ff6b6b;--warn:#f0a040;",
      "--info:#6ea8ff;--bar:#5c93d8;--p50:#4a6f9e;--p99:#8ab8f0;--untracked:#5b6574;",
      "--track:#252c36;--grid:#2c343f}}",
      "*{box-sizing:border-box}",
      "body{margin:0;background:var(--bg);color:var(--fg);",
      "font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\","
          + "sans-serif}",
      "main{max-width:1180px;margin:0 auto;padding:20px 24px 40px}",
      "h1{font-size:22px;margin:0 0 2px}h2{font-size:18px;margin:28px 0 10px;padding-bottom:4px;"
          + "border-bottom:1px solid var(--line)}",
      "h3{font-size:15px;margin:0 0 6px}h4{font-size:13px;margin:0 0 6px}",
      "a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}",
      "code,pre,.mono{font-family:ui-monospace,\"SFMono-Regular\",\"DejaVu Sans Mono\",Menlo,"
          + "Consolas,monospace;font-size:12.5px}",
      "code{overflow-wrap:anywhere}",
      "pre{margin:6px 0 0;padding:8px 10px;background:var(--panel);border:1px solid var(--line);"
          + "border-radius:4px;overflow-x:auto;line-height:1.35}",
      ".muted{color:var(--muted);font-weight:normal}.small{font-size:12px}",
      ".sub{color:var(--muted);margin:0 0 10px}",
      ".verdict{display:inline-block;margin:4px 0 10px;padding:6px 12px;border-radius:4px;"
          + "font-weight:600;border:1px solid var(--line);background:var(--panel)}",
      ".verdict.error{border-color:var(--err);color:var(--err)}",
      ".verdict.warning{border-color:var(--warn);color:var(--warn)}",
      ".verdict.ok{border-color:var(--ok);color:var(--ok)}",
      ".notes{margin:0 0 12px;padding-left:20px}.notes li.bad{color:var(--err);font-weight:600}",
      ".facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:4px 16px;"
          + "margin:0 0 8px}",
      ".facts div{display:flex;gap:8px;min-width:0}.facts dt{color:var(--muted);white-space:nowrap}",
      ".facts dd{margin:0;overflow-wrap:anywhere}",
      ".more details{display:inline-block;vertical-align:top;margin-right:16px}",
      "summary{cursor:pointer;color:var(--link)}",
      "nav{position:sticky;top:0;background:var(--bg);border-bottom:1px solid var(--line);"
          + "padding:6px 0;margin-top:10px;z-index:1}",
      "nav a{margin-right:18px;font-weight:600}",
      ".cols{display:flex;flex-wrap:wrap;gap:20px;align-items:flex-start}",
      "table{border-collapse:collapse;font-size:13px}",
      "th,td{padding:3px 8px;border-bottom:1px solid var(--line);text-align:left;"
          + "vertical-align:top}",
      "th{color:var(--muted);font-weight:600}",
      "table.num td+td,table.num th+th,td.r,th.r{text-align:right;"
          + "font-variant-numeric:tabular-nums}",
      "tfoot td{font-weight:600}tr.zero td,td.zero{color:var(--muted)}",
      "table.index{width:100%;margin-bottom:14px}table.index td:nth-child(4) code{font-size:12px}",
      ".kind{font-weight:600;font-family:ui-monospace,\"DejaVu Sans Mono\",monospace;"
          + "font-size:12.5px}",
      ".badge{display:inline-block;min-width:58px;text-align:center;padding:1px 6px;"
          + "border-radius:3px;color:#fff;font-size:11px;font-weight:700;text-transform:uppercase;"
          + "letter-spacing:.03em}",
      ".badge.sev-error{background:var(--err)}.badge.sev-warning{background:var(--warn)}",
      ".badge.sev-info{background:var(--info)}.badge.sev-other{background:var(--other)}",
      ".sev-error-text{color:var(--err);font-weight:600}.sev-warning-text{color:var(--warn);"
          + "font-weight:600}.sev-info-text{color:var(--info)}",
      "article{border:1px solid var(--line);border-radius:6px;padding:12px 14px;margin:0 0 14px;"
          + "background:var(--bg)}",
      "article.finding{border-left-width:5px}article p{margin:4px 0}",
      ".sev-error-edge{border-left-color:var(--err)}.sev-warning-edge{border-left-color:"
          + "var(--warn)}.sev-info-edge{border-left-color:var(--info)}",
      ".sev-other-edge{border-left-color:var(--other)}",
      ".n{color:var(--muted);font-weight:normal}",
      ".detail{margin:4px 0 8px;font-weight:600}",
      "dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}",
      "dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;min-width:0}",
      "details.stack{margin-top:6px}pre .jdk{color:var(--muted)}",
      ".panels{display:flex;flex-wrap:wrap;gap:12px;margin-top:8px}",
      ".panel{background:var(--panel);border:1px solid var(--line);border-radius:4px;"
          + "padding:8px 10px;flex:1 1 300px;min-width:0}",
      ".panel.wide{flex:2 1 560px}.panel.narrow{max-width:560px}",
      ".key{display:inline-block;width:10px;height:10px;margin:0 4px 0 2px;border-radius:2px}",
      ".key.p50{background:var(--p50)}.key.p99{background:var(--p99)}",
      "figure{margin:0}figcaption{margin-top:2px}",
      "#summary table{flex:0 1 560px}",
      ".panel table{width:100%}",
      ".empty{color:var(--muted);font-style:italic;margin:4px 0}",
      "svg.chart{display:block;max-width:100%;height:auto;margin:2px 0 4px}",
      "svg text{fill:var(--fg);font-size:12px;font-family:system-ui,\"Noto Sans\","
          + "\"DejaVu Sans\",sans-serif}",
      "svg text.mono{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace;font-size:11.5px}",
      "svg text.val,svg text.tick{fill:var(--muted);font-size:11px}",
      "svg .bar{fill:var(--bar)}svg .untracked{fill:var(--untracked)}svg .track{fill:var(--track)}",
      "svg .p50{fill:var(--p50)}svg .p99{fill:var(--p99)}",
      "svg .grid{stroke:var(--grid);stroke-width:1}",
      "svg .sev-error{fill:var(--err)}svg .sev-warning{fill:var(--warn)}svg .sev-info{fill:"
          + "var(--info)}svg .sev-other{fill:var(--other)}",
      "footer{margin-top:30px;color:var(--muted);font-size:12px}",
      "@media print{nav{position:static}details{display:block}}",
      "");
}

package io.mapaudit.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class HtmlReportTest {
  private final HtmlReport html = new HtmlReport();

  @Test
  void render_sampleReport_parsesWithoutErrors() {
    Parser parser = Parser.htmlParser().setTrackErrors(50);
    Document doc = parser.parseInput(html.render(SampleReport.tree()), "");
    assertThat(parser.getErrors()).isEmpty();
    assertThat(doc.documentType()).isNotNull();
    assertThat(doc.documentType().name()).isEqualTo("html");
    assertThat(doc.selectFirst("html").attr("lang")).isEqualTo("en");
    assertThat(doc.selectFirst("meta[charset]").attr("charset")).isEqualTo("utf-8");
    assertThat(doc.title()).isEqualTo("mapaudit report · pid 41207");
    assertThat(doc.select("section#summary, section#findings, section#maps")).hasSize(3);
  }

  @Test
  void render_sampleReport_showsEveryFindingWithKindSiteKeyAndCount() {
    Document doc = parse(SampleReport.tree());
    List<Map<?, ?>> findings = findings(SampleReport.tree());
    Elements articles = doc.select("article.finding");
    assertThat(articles).hasSize(findings.size());
    for (Map<?, ?> f : findings) {
      Element a = articles.stream()
          .filter(e -> e.selectFirst(".kind").text().equals(f.get("kind")))
          .filter(e -> e.text().contains((String) f.get("site")))
          .findFirst().orElseThrow(() -> new AssertionError("no article for " + f));
      assertThat(a.selectFirst(".badge").text()).isEqualTo(f.get("severity"));
      assertThat(a.text()).contains((String) f.get("key"));
      assertThat(a.text()).contains(String.format(Locale.ROOT, "%,d", (Long) f.get("count")));
      assertThat(a.text()).contains((String) f.get("firstSeen"), (String) f.get("lastSeen"));
      for (Object t : (List<?>) f.get("threads")) {
        assertThat(a.text()).contains((String) t);
      }
      if (f.get("otherSite") != null) {
        assertThat(a.text()).contains((String) f.get("otherSite"));
      }
      if (f.get("detail") != null) {
        assertThat(a.selectFirst(".detail").text()).isEqualTo(f.get("detail"));
      }
    }
    // The index table has one row per finding, linking to its article.
    assertThat(doc.select("table.index tbody tr")).hasSize(findings.size());
    assertThat(doc.select("table.index a[href^=#finding-]")).hasSize(findings.size());
  }

  @Test
  void render_sampleReport_putsBothStacksInCollapsedDetails() {
    Document doc = parse(SampleReport.tree());
    Element concurrent = articleOfKind(doc, "CONCURRENT_WRITE");
    Elements stacks = concurrent.select("details.stack");
    assertThat(stacks).hasSize(2);
    assertThat(stacks.get(0).selectFirst("summary").text()).startsWith("stack").contains("14 frames");
    assertThat(stacks.get(1).selectFirst("summary").text()).startsWith("other stack")
        .contains("9 frames");
    assertThat(stacks.get(0).selectFirst("pre").text())
        .startsWith("at com.acme.orders.OrderRouter.route(OrderRouter.java:58)")
        .contains("at java.lang.Thread.run(Thread.java:840)");
    assertThat(stacks.get(1).selectFirst("pre").text())
        .startsWith("at com.acme.orders.OrderRouter.evict(OrderRouter.java:91)");
    for (Element d : doc.select("details")) {
      assertThat(d.hasAttr("open")).isFalse();
    }
    // Every frame line is inside a <details>, never loose on the page.
    for (Element pre : doc.select("pre")) {
      assertThat(pre.parent().tagName()).isEqualTo("details");
    }
    assertThat(articleOfKind(doc, "MISSING_KEY").text()).contains("stack: not captured");
  }

  @Test
  void render_sampleReport_drawsSvgCharts() {
    Document doc = parse(SampleReport.tree());
    Element summaryChart = doc.selectFirst("section#summary svg");
    assertThat(summaryChart).isNotNull();
    assertThat(summaryChart.select("rect.sev-error, rect.sev-warning, rect.sev-info").size())
        .isGreaterThanOrEqualTo(7 + 3); // one per kind with findings, plus the legend
    assertThat(doc.select("section#summary table tfoot td").get(4).text()).isEqualTo("8");

    Element products = mapAt(doc, "com.acme.catalog.ProductCatalog.<init>(ProductCatalog.java:26)");
    Element hotKeys = panel(products, "Hot keys").selectFirst("svg");
    assertThat(hotKeys.select("rect.bar")).hasSize(HtmlReport.MAX_HOT_KEYS);
    assertThat(hotKeys.select("text.lbl").first().text()).isEqualTo("product-1");
    assertThat(hotKeys.select("text.val").first().text()).startsWith("41.2%");
    assertThat(panel(products, "Hot keys").text()).contains("4 more keys");

    Element heat = panel(products, "Heat");
    assertThat(heat.select("svg rect.bar")).hasSize(3);
    assertThat(heat.select("svg rect.untracked")).hasSize(1);
    assertThat(heat.text()).contains("last complete window", "41.2%", "81.0%", "4.0%",
        "Untracked: 4.0%", "describe the tracked part only");

    Element orders = mapAt(doc, "com.acme.orders.OrderRouter.<init>(OrderRouter.java:31)");
    Element latency = panel(orders, "Latency");
    assertThat(latency.select("svg rect.p50")).hasSize(4);
    assertThat(latency.select("svg rect.p99")).hasSize(4);
    assertThat(latency.select("svg text.tick").eachText()).contains("10 ns", "100 ns", "1 µs");
    assertThat(latency.select("table tbody tr")).hasSize(4);
    assertThat(latency.select("table tbody tr").first().text())
        .isEqualTo("get 19,600 42 ns 88 ns 310 ns 18.4 µs");
    assertThat(latency.text()).contains("2.4 ms");

    assertThat(orders.select("p.empty")).isEmpty();
    Element filler = mapAt(doc, "com.acme.misc.Filler0.<init>(Filler0.java:10)");
    assertThat(filler.select(".panel h4").eachText()).containsExactly("Operations");
    assertThat(filler.selectFirst("p.empty").text())
        .startsWith("No hot keys, heat or latency for this map");
    assertThat(mapAt(doc, SampleReport.EVIL_SITE).selectFirst("p.empty").text())
        .startsWith("No heat for this map");

    Element misses = panel(orders, "Misses");
    assertThat(misses.selectFirst("h4").text()).contains("~38,400");
    assertThat(misses.select("tbody tr").first().text()).isEqualTo("order-0 ~21,504 56.0%");

    Element ops = panel(orders, "Operations");
    assertThat(ops.select("tbody tr").first().text()).isEqualTo("get ~1,254,400 57.9%");
  }

  @Test
  void render_sampleReport_isSelfContained() {
    String page = html.render(SampleReport.tree());
    assertThat(page).doesNotContainIgnoringCase("<script")
        .doesNotContain("http://", "https://", "url(", "@import", "@font-face");
    Document doc = Parser.htmlParser().parseInput(page, "");
    assertThat(doc.select("script, link, iframe, object, embed, img, base, form")).isEmpty();
    assertThat(doc.select("[src]")).isEmpty();
    for (Element a : doc.select("[href]")) {
      String target = a.attr("href");
      assertThat(target).startsWith("#");
      assertThat(doc.getElementById(target.substring(1))).as(target).isNotNull();
    }
    assertThat(doc.selectFirst("meta[http-equiv=Content-Security-Policy]").attr("content"))
        .startsWith("default-src 'none';");
  }

  @Test
  void render_hostileKeySiteAndThreadName_stayText() {
    String page = html.render(SampleReport.tree());
    assertThat(page).doesNotContain(SampleReport.EVIL_KEY, SampleReport.EVIL_SITE,
        SampleReport.EVIL_THREAD, "<b>bold?</b>");
    assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;",
        "worker-&lt;img src=x onerror=alert(3)&gt;&amp;",
        "com.acme.X.&quot;onmouseover=alert(2) x=&#39;(X.java:1)");
    Document doc = Parser.htmlParser().parseInput(page, "");
    assertThat(doc.select("script, img, b")).isEmpty();
    for (Element e : doc.getAllElements()) {
      for (Attribute a : e.attributes()) {
        assertThat(a.getKey()).as(e.tagName()).doesNotStartWith("on");
      }
    }
    Element evil = articleOfKind(doc, "CROSS_THREAD_WRITES");
    assertThat(evil.text()).contains(SampleReport.EVIL_KEY, SampleReport.EVIL_SITE,
        SampleReport.EVIL_THREAD, "held monitor: no <b>bold?</b>");
    Element evilMap = mapAt(doc, SampleReport.EVIL_SITE);
    assertThat(evilMap.select("svg text.lbl").eachText()).contains(SampleReport.EVIL_KEY);
    assertThat(evilMap.select("svg title").eachText())
        .anyMatch(t -> t.startsWith(SampleReport.EVIL_KEY + ": 60.0%"));
    assertThat(evilMap.text()).contains(SampleReport.EVIL_THREAD);
  }

  @Test
  void render_emptyReport_statesNoFindingsAndNoMaps() {
    Map<String, Object> empty = new LinkedHashMap<>();
    empty.put("agent", new LinkedHashMap<>());
    empty.put("maps", new ArrayList<>());
    empty.put("findings", new ArrayList<>());
    for (Map<String, Object> tree : Arrays.asList(empty, new LinkedHashMap<String, Object>(),
        null)) {
      Parser parser = Parser.htmlParser().setTrackErrors(50);
      Document doc = parser.parseInput(html.render(tree), "");
      assertThat(parser.getErrors()).isEmpty();
      assertThat(doc.selectFirst(".verdict").text()).startsWith("No findings");
      assertThat(doc.selectFirst("section#summary .empty").text()).startsWith("No findings");
      assertThat(doc.selectFirst("section#findings .empty").text()).isEqualTo("No findings.");
      assertThat(doc.selectFirst("section#maps .empty").text()).startsWith("No maps");
      assertThat(doc.select("article")).isEmpty();
    }
  }

  @Test
  void render_missingAndMistypedFields_tolerated() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("agent", "not an object");
    Map<String, Object> bare = new LinkedHashMap<>();
    bare.put("kind", "SOMETHING_NEW");
    Map<String, Object> nulls = new LinkedHashMap<>();
    for (String k : new String[] {"kind", "severity", "site", "otherSite", "threads", "key",
        "count", "firstSeen", "lastSeen", "detail", "stack", "otherStack", "mapId"}) {
      nulls.put(k, null);
    }
    tree.put("findings", Arrays.asList(bare, nulls, "junk", 42));
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("mapId", "HashMap@1");
    map.put("ops", "junk");
    Map<String, Object> flatLatency = new LinkedHashMap<>();
    flatLatency.put("p50", 40L);
    flatLatency.put("p99", 900L);
    flatLatency.put("max", 5_000L);
    Map<String, Object> legacy = new LinkedHashMap<>();
    legacy.put("mapType", "java.util.HashMap");
    legacy.put("latencyNanos", flatLatency);
    legacy.put("heat", new LinkedHashMap<>());
    legacy.put("hotKeys", Arrays.asList(new LinkedHashMap<>(), "junk"));
    legacy.put("misses", new LinkedHashMap<>());
    tree.put("maps", Arrays.asList(map, legacy, null));

    Parser parser = Parser.htmlParser().setTrackErrors(50);
    Document doc = parser.parseInput(html.render(tree), "");
    assertThat(parser.getErrors()).isEmpty();
    assertThat(doc.select("article.finding")).hasSize(2);
    assertThat(articleOfKind(doc, "SOMETHING_NEW").selectFirst(".badge").text())
        .isEqualTo("unknown");
    assertThat(doc.select("article.map")).hasSize(2);
    Element legacyMap = doc.select("article.map").get(1);
    assertThat(panel(legacyMap, "Latency").select("tbody tr").first().text())
        .isEqualTo("all – 40 ns – 900 ns 5 µs");
    assertThat(panel(legacyMap, "Hot keys").text()).contains("(key not recorded)");
  }

  @Test
  void render_moreMapsThanTheCap_showsTheBusiest() {
    Document doc = parse(SampleReport.tree());
    Elements maps = doc.select("article.map");
    assertThat(maps).hasSize(HtmlReport.MAX_MAPS);
    assertThat(maps.first().text()).contains("OrderRouter.<init>");
    assertThat(maps.get(1).text()).contains("ProductCatalog.<init>");
    assertThat(doc.selectFirst("section#maps > p").text())
        .isEqualTo("The 20 busiest of " + (4 + SampleReport.FILLER_MAPS)
            + " reported maps, by operations.");
    // Fillers have 100 - i gets: the least busy ones are left out.
    assertThat(doc.text()).contains("Filler0.<init>").doesNotContain("Filler23.<init>");
  }

  @Test
  void render_findingOfAShownMap_linksBothWays() {
    Document doc = parse(SampleReport.tree());
    Element concurrent = articleOfKind(doc, "CONCURRENT_WRITE");
    Element link = concurrent.selectFirst("a[href^=#map-]");
    assertThat(link.text()).isEqualTo("HashMap@1b6d3586");
    Element map = doc.getElementById(link.attr("href").substring(1));
    assertThat(map.text()).contains("OrderRouter.<init>(OrderRouter.java:31)");
    Element back = map.selectFirst("a[href^=#finding-]");
    assertThat(back.attr("href")).isEqualTo("#" + concurrent.id());
  }

  @Test
  void render_findingsOutOfOrder_mostSevereFirst() {
    Map<String, Object> tree = SampleReport.tree();
    List<Object> reversed = new ArrayList<>((List<?>) tree.get("findings"));
    java.util.Collections.reverse(reversed);
    tree.put("findings", reversed);
    List<String> badges = parse(tree).select("article.finding .badge").eachText();
    assertThat(badges).containsExactly("error", "error", "error", "error", "warning", "warning",
        "info", "info");
  }

  @Test
  void render_longStack_cappedAtMaxFrames() {
    Map<String, Object> tree = SampleReport.tree();
    Map<String, Object> f = findingsOf(tree).get(0);
    f.put("stack", SampleReport.stack("com.acme.Deep.recurse(Deep.java:1)", 500));
    Element pre = articleOfKind(parse(tree), "CONCURRENT_WRITE").selectFirst("details.stack pre");
    String[] lines = pre.wholeText().split("\n");
    assertThat(lines).hasSize(HtmlReport.MAX_FRAMES + 1);
    assertThat(lines[HtmlReport.MAX_FRAMES]).isEqualTo("… 436 more");
  }

  @Test
  void render_sameTree_sameBytesWhateverTheDefaultLocale() {
    String first = html.render(SampleReport.tree());
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertThat(html.render(SampleReport.tree())).isEqualTo(first);
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void render_sampledCounts_markedAsEstimates() {
    Document doc = parse(SampleReport.tree());
    assertThat(doc.select("ul.notes li").eachText())
        .contains("Operation counts are estimates: 1 in 64 operations was sampled and counts "
            + "were scaled by 64.");
    Map<String, Object> tree = SampleReport.tree();
    ((Map<String, Object>) tree.get("agent")).put("sampling", 1);
    ((Map<String, Object>) tree.get("agent")).put("adviceErrors", 3L);
    Document exact = parse(tree);
    assertThat(exact.select("ul.notes li.bad").text()).startsWith("3 advice errors");
    assertThat(panel(mapAt(exact, "com.acme.orders.OrderRouter.<init>(OrderRouter.java:31)"),
        "Operations").select("tbody tr").first().text()).isEqualTo("get 1,254,400 57.9%");
  }

  @Test
  void esc_specialAndControlCharacters_becomeEntitiesOrVisibleEscapes() {
    assertThat(HtmlReport.esc("a&b<c>d\"e'f")).isEqualTo("a&amp;b&lt;c&gt;d&quot;e&#39;f");
    assertThat(HtmlReport.esc("tab\tnl\nbell\u0007del\u007f")).isEqualTo(
        "tab\tnl\nbell\\u0007del\\u007f");
    assertThat(HtmlReport.esc("pair \uD83D\uDE00 lone \uD83D end \uDE00"))
        .isEqualTo("pair \uD83D\uDE00 lone \uFFFD end \uFFFD");
    assertThat(HtmlReport.esc("plain")).isSameAs("plain");
    assertThat(HtmlReport.esc(null)).isEmpty();
  }

  @Test
  void clip_longText_cutAtCodePointsWithEllipsis() {
    assertThat(HtmlReport.clip("abcdef", 6)).isEqualTo("abcdef");
    assertThat(HtmlReport.clip("abcdefg", 6)).isEqualTo("abcde…");
    assertThat(HtmlReport.clip("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00", 2))
        .isEqualTo("\uD83D\uDE00…");
  }

  @Test
  void formatters_unitsAndPercentages_readable() {
    assertThat(HtmlReport.nanos(42)).isEqualTo("42 ns");
    assertThat(HtmlReport.nanos(1_000)).isEqualTo("1 µs");
    assertThat(HtmlReport.nanos(18_400)).isEqualTo("18.4 µs");
    assertThat(HtmlReport.nanos(2_400_000)).isEqualTo("2.4 ms");
    assertThat(HtmlReport.nanos(3e9)).isEqualTo("3 s");
    assertThat(HtmlReport.pct(0.412)).isEqualTo("41.2%");
    assertThat(HtmlReport.pct(0.0004)).isEqualTo("<0.1%");
    assertThat(HtmlReport.pct(Double.NaN)).isEqualTo("–");
    assertThat(HtmlReport.fmt(1_254_400L)).isEqualTo("1,254,400");
    assertThat(HtmlReport.fmt(2.0)).isEqualTo("2");
    assertThat(HtmlReport.fmt(null)).isEqualTo("–");
  }

  @Test
  void reportFilesWrite_withRenderer_writesHtmlBesideJson(@TempDir Path dir) throws Exception {
    Path json = ReportFiles.write(SampleReport.tree(), dir, null, html);
    Path page = dir.resolve(ReportFiles.HTML);
    assertThat(json).isEqualTo(dir.resolve(ReportFiles.JSON));
    assertThat(new String(Files.readAllBytes(page), StandardCharsets.UTF_8))
        .isEqualTo(html.render(SampleReport.tree()));
  }

  private Document parse(Map<String, Object> tree) {
    return Parser.htmlParser().parseInput(html.render(tree), "");
  }

  private static List<Map<?, ?>> findings(Map<String, Object> tree) {
    List<Map<?, ?>> out = new ArrayList<>();
    for (Object o : (List<?>) tree.get("findings")) {
      out.add((Map<?, ?>) o);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> findingsOf(Map<String, Object> tree) {
    return (List<Map<String, Object>>) tree.get("findings");
  }

  private static Element articleOfKind(Document doc, String kind) {
    for (Element a : doc.select("article.finding")) {
      if (a.selectFirst(".kind").text().equals(kind)) {
        return a;
      }
    }
    throw new AssertionError("no finding of kind " + kind);
  }

  private static Element mapAt(Document doc, String site) {
    for (Element a : doc.select("article.map")) {
      if (a.selectFirst("dl.kv dd code").text().equals(site)) {
        return a;
      }
    }
    throw new AssertionError("no map at " + site);
  }

  private static Element panel(Element map, String title) {
    for (Element p : map.select(".panel")) {
      if (p.selectFirst("h4").ownText().startsWith(title)) {
        return p;
      }
    }
    throw new AssertionError("no panel " + title + " in " + map.id());
  }
}

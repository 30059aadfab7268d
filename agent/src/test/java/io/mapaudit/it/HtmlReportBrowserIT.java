package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mapaudit.agent.report.HtmlReport;
import io.mapaudit.agent.report.SampleReport;
import io.mapaudit.it.apps.OpsProgram;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * The HTML report as a real browser renders it: Debian's headless Chromium loads the page from a
 * {@code file://} URL, prints its DOM ({@code --dump-dom}) and takes a screenshot. Runs only in
 * the {@code browser} profile (Chromium is a system package, not a Maven dependency).
 */
final class HtmlReportBrowserIT {
  private static final Path TARGET = Paths.get("target").toAbsolutePath();
  private static final Path WORK = TARGET.resolve("it-work").resolve("browser");
  private static final String CHROMIUM = System.getProperty("mapaudit.chromium", "chromium");
  private static final long TIMEOUT_SECONDS = 120;

  @Test
  void sampleReport_inChromium_domShowsEveryFindingAndNoInjectedElement() throws Exception {
    Path dir = WORK.resolve("sample");
    Files.createDirectories(dir);
    Path page = dir.resolve("mapaudit-report.html");
    Files.write(page, new HtmlReport().render(SampleReport.tree()).getBytes(StandardCharsets.UTF_8));

    Document dom = Jsoup.parse(dumpDom(page, dir));
    List<String[]> expected = SampleReport.kindsAndSites();
    List<Element> articles = dom.select("article.finding");
    assertThat(articles).hasSize(expected.size());
    for (String[] kindAndSite : expected) {
      assertThat(articles).as("finding %s at %s", kindAndSite[0], kindAndSite[1])
          .anyMatch(a -> a.selectFirst(".kind").text().equals(kindAndSite[0])
              && a.select("dl.kv dd code").eachText().contains(kindAndSite[1]));
    }
    assertThat(dom.select("section#summary svg rect")).isNotEmpty();
    assertThat(dom.select("article.map")).hasSize(20);
    assertThat(dom.select("article.map svg")).isNotEmpty();
    assertThat(dom.select("details.stack summary").eachText()).anyMatch(s -> s.startsWith("stack"));
    // The hostile key, site and thread name were parsed by Chromium as text, not as elements.
    assertThat(dom.select("script, img")).isEmpty();
    assertThat(dom.text()).contains(SampleReport.EVIL_KEY, SampleReport.EVIL_THREAD);

    Path png = screenshot(page, dir.resolve("report.png"));
    assertNonTrivialScreenshot(png);
    Files.copy(png, TARGET.resolve("report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void agentRun_writesHtmlBesideJson_chromiumShowsItsMaps() throws Exception {
    Path dir = WORK.resolve("agent-run");
    ForkedJvm.Result r;
    try (ForkedJvm jvm = ForkedJvm.start(dir,
        List.of(ForkedJvm.javaagent("sampling=1,reportDir=" + dir)), OpsProgram.class.getName())) {
      r = jvm.await(TIMEOUT_SECONDS);
    }
    assertThat(r.exitCode).as(r.toString()).isZero();
    Path page = dir.resolve("mapaudit-report.html");
    assertThat(page).exists();
    assertThat(dir.resolve("mapaudit-report.json")).exists();
    Reports.read(dir.resolve("mapaudit-report.json"));

    Document dom = Jsoup.parse(dumpDom(page, dir));
    assertThat(dom.title()).startsWith("mapaudit report · pid ");
    assertThat(dom.select("article.map dl.kv dd code").eachText())
        .contains("io.mapaudit.it.apps.OpsProgram.main(OpsProgram.java:13)");
    assertThat(dom.selectFirst("p.sub").text()).contains("premain");
    assertThat(dom.selectFirst("dl.facts").text()).contains("sampling 1 in 1 operations");

    assertNonTrivialScreenshot(screenshot(page, dir.resolve("report.png")));
  }

  private static String dumpDom(Path page, Path dir) throws Exception {
    List<String> cmd = chromium(dir);
    cmd.add("--dump-dom");
    cmd.add(page.toUri().toString());
    String dom = run(cmd, dir.resolve("chromium-dump-dom.err"));
    assertThat(dom).as("chromium --dump-dom printed nothing").contains("</html>");
    return dom;
  }

  private static Path screenshot(Path page, Path png) throws Exception {
    Files.deleteIfExists(png);
    List<String> cmd = chromium(png.getParent());
    cmd.add("--screenshot=" + png);
    cmd.add("--window-size=1280,2000");
    cmd.add(page.toUri().toString());
    run(cmd, png.resolveSibling("chromium-screenshot.err"));
    return png;
  }

  private static List<String> chromium(Path dir) throws IOException {
    Path profile = Files.createTempDirectory(dir, "chromium-profile");
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars",
        "--user-data-dir=" + profile));
    return cmd;
  }

  /** Runs {@code cmd} to completion within the timeout; returns its standard output. */
  private static String run(List<String> cmd, Path stderr) throws Exception {
    Path stdout = Files.createTempFile(stderr.getParent(), "chromium", ".out");
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
          .start();
    } catch (IOException e) {
      throw new AssertionError("cannot start " + CHROMIUM + " (apt-get install -y chromium, or "
          + "-Dmapaudit.chromium=/path): " + e.getMessage(), e);
    }
    try {
      boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(done).as("chromium within %d s: %s", TIMEOUT_SECONDS, cmd).isTrue();
      assertThat(p.exitValue()).as("chromium exit code; stderr in %s", stderr).isZero();
      return new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8);
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Files.deleteIfExists(stdout);
    }
  }

  /** A real rendering: the full window size, many colours, not a blank or error page. */
  private static void assertNonTrivialScreenshot(Path png) throws IOException {
    assertThat(png).exists();
    assertThat(Files.size(png)).isGreaterThan(20_000);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    assertThat(image.getHeight()).isEqualTo(2000);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 4) {
      for (int x = 0; x < image.getWidth(); x += 4) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertThat(colours.size()).as("distinct colours in %s", png).isGreaterThan(50);
  }
}

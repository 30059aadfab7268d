package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mapaudit.it.apps.InteractiveProgram;
import io.mapaudit.it.apps.OpsProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real agent jar at JVM start ({@code -javaagent}). */
final class StartupIT {
  private static final Path WORK = Paths.get("target", "it-work", "startup").toAbsolutePath();
  private static final String LEDGER_SITE = "io.mapaudit.it.apps.InteractiveProgram.main(";

  @Test
  void javaagent_samplingOne_reportsExactOpCounts() throws Exception {
    Path dir = WORK.resolve("exact");
    ForkedJvm.Result r;
    try (ForkedJvm jvm = ForkedJvm.start(dir,
        List.of(ForkedJvm.javaagent("sampling=1,reportDir=" + dir)), OpsProgram.class.getName())) {
      r = jvm.await(120);
    }
    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.stdoutText()).isEqualTo("found=20 orders=9 lru=5 counts=3");
    JsonNode report = Reports.read(dir.resolve("mapaudit-report.json"));
    assertThat(report.get("agent").get("mode").asText()).isEqualTo("premain");
    assertThat(report.get("agent").get("sampling").asInt()).isEqualTo(1);
    // The agent exported jdk.internal.misc in time for the draw to use the thread's seed word.
    assertThat(report.get("agent").get("sampleDraw").asText()).isEqualTo("thread-seed");
    assertThat(report.get("agent").get("adviceErrors").asLong()).isZero();
    assertThat(report.get("agent").get("droppedRecords").asLong()).isZero();

    JsonNode orders = single(report, "io.mapaudit.it.apps.OpsProgram.main(OpsProgram.java:13)");
    assertThat(orders.get("mapType").asText()).isEqualTo("java.util.HashMap");
    assertThat(orders.get("ops").get("put").asLong()).isEqualTo(10);
    assertThat(orders.get("ops").get("get").asLong()).isEqualTo(20);
    assertThat(orders.get("ops").get("remove").asLong()).isEqualTo(1);
    assertThat(orders.get("ops").get("containsKey").asLong()).isEqualTo(1);
    assertThat(orders.get("ops").get("size").asLong()).isEqualTo(1);
    assertThat(orders.get("writerThreads").asInt()).isEqualTo(1);

    JsonNode lru = single(report, "io.mapaudit.it.apps.OpsProgram.main(OpsProgram.java:26)");
    assertThat(lru.get("mapType").asText()).isEqualTo("java.util.LinkedHashMap");
    // Named by HashMap's constructor advice: LinkedHashMap's own constructors carry none.
    assertThat(lru.get("siteKind").asText()).isEqualTo("allocation");
    assertThat(lru.get("ops").get("put").asLong()).isEqualTo(5);
    assertThat(lru.get("ops").get("get").asLong()).isEqualTo(7);

    JsonNode counts = single(report, "io.mapaudit.it.apps.OpsProgram.main(OpsProgram.java:34)");
    assertThat(counts.get("mapType").asText()).isEqualTo("java.util.concurrent.ConcurrentHashMap");
    assertThat(counts.get("ops").get("merge").asLong()).isEqualTo(6);
    assertThat(counts.get("ops").get("putIfAbsent").asLong()).isEqualTo(1);
    // CHM.putIfAbsent and merge delegate internally; nested calls must not be counted again.
    assertThat(counts.get("ops").get("put").asLong()).isZero();
    assertThat(r.stderr).contains("mapaudit: ").contains("report " + dir.resolve("mapaudit-report.json"));
    // JDK 24+ warns on stderr when anything calls sun.misc.Unsafe's memory methods (JEP 498).
    assertThat(r.stderr).doesNotContain("sun.misc.Unsafe");
  }

  /*
   * The default start: premain returns before the advice is installed, so the test asks the agent
   * (status, bounded by 60 s) until auditing is on, then counts exactly the operations after that.
   */
  @Test
  void asyncStartup_auditsOnceInstalled() throws Exception {
    Path dir = WORK.resolve("async");
    try (ForkedJvm app = ForkedJvm.start(dir,
        List.of(ForkedJvm.javaagent("startup=async,sampling=1,reportDir=" + dir)),
        InteractiveProgram.class.getName())) {
      String pid = app.expectLine("READY", 60).split(" ")[1];
      awaitStatus(dir, pid, "auditing on");
      app.send("work 7");
      app.expectLine("DONE", 30);
      JsonNode r = Reports.fetch(dir, pid, "report.json");
      assertThat(r.get("agent").get("mode").asText()).isEqualTo("premain");
      JsonNode ledger = Reports.mapsAt(r, LEDGER_SITE).get(0);
      assertThat(ledger.get("ops").get("put").asLong()).isEqualTo(7);
      assertThat(ledger.get("ops").get("get").asLong()).isEqualTo(7);
      app.send("exit");
      assertThat(app.await(60).exitCode).isZero();
    }
  }

  /*
   * enabled=false loads the agent idle: no class is retransformed (the dispatcher is never
   * entered), nothing is written at exit unless an attach with auditing on replaced the session.
   */
  @Test
  void enabledFalse_instrumentsNothing_untilAnAttachTurnsAuditingOn() throws Exception {
    Path dir = WORK.resolve("idle");
    try (ForkedJvm app = ForkedJvm.start(dir,
        List.of("-Dmapaudit.countEntries=true",
            ForkedJvm.javaagent("enabled=false,reportDir=" + dir)),
        InteractiveProgram.class.getName())) {
      String pid = app.expectLine("READY", 60).split(" ")[1];
      app.send("work 100");
      app.expectLine("DONE", 30);
      app.send("entries");
      assertThat(app.expectLine("ENTRIES", 30)).isEqualTo("ENTRIES 0");
      ForkedJvm.Result status = ForkedJvm.cli(dir, "status", pid);
      assertThat(status.stdoutText()).contains("attached (premain)").contains("auditing off")
          .contains("instrumented: []");
      assertThat(ForkedJvm.cli(dir, "attach", pid, "enabled=false").stdoutText())
          .contains("already attached");

      ForkedJvm.Result attach = ForkedJvm.cli(dir, "attach", pid, "sampling=1",
          "reportDir=" + dir);
      assertThat(attach.exitCode).as(attach.toString()).isZero();
      assertThat(attach.stdoutText()).contains("replacing the idle session")
          .contains("auditing on");
      app.send("work 3");
      app.expectLine("DONE", 30);
      JsonNode report = Reports.fetch(dir, pid, "report.json");
      JsonNode ledger = Reports.mapsAt(report, LEDGER_SITE).get(0);
      assertThat(ledger.get("ops").get("put").asLong()).isEqualTo(3);
      app.send("exit");
      assertThat(app.await(60).exitCode).isZero();
    }
  }

  @Test
  void enabledFalse_writesNoReportAtExit() throws Exception {
    Path dir = WORK.resolve("idle-exit");
    ForkedJvm.Result r;
    try (ForkedJvm jvm = ForkedJvm.start(dir,
        List.of(ForkedJvm.javaagent("enabled=false,reportDir=" + dir)),
        OpsProgram.class.getName())) {
      r = jvm.await(120);
    }
    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.stdoutText()).isEqualTo("found=20 orders=9 lru=5 counts=3");
    // Only the JVM's own class-data-sharing notice (JDK 17; README, troubleshooting) remains.
    assertThat(r.stderr.lines().filter(l -> !l.contains("Sharing is only supported")))
        .as(r.stderr).isEmpty();
    assertThat(Files.exists(dir.resolve("mapaudit-report.json"))).isFalse();
  }

  private static void awaitStatus(Path dir, String pid, String wanted) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    String last = "";
    while (System.nanoTime() < deadline) {
      last = ForkedJvm.cli(dir, "status", pid).stdoutText();
      if (last.contains(wanted)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("status never said '" + wanted + "' within 60 s; last: " + last);
  }

  @Test
  void badOption_appRunsUnchanged_withOneLineError() throws Exception {
    Path dir = WORK.resolve("bad-option");
    ForkedJvm.Result plain;
    try (ForkedJvm jvm = ForkedJvm.start(dir, Collections.emptyList(), OpsProgram.class.getName())) {
      plain = jvm.await(60);
    }
    for (String bad : List.of("sampling=0", "samplin=1", "sampling=abc", "keys=maybe",
        "enabled", "watchNanos=5 parsecs", "reportDir=", "prometheus=localhost")) {
      ForkedJvm.Result r;
      try (ForkedJvm jvm = ForkedJvm.start(dir, List.of(ForkedJvm.javaagent(bad)),
          OpsProgram.class.getName())) {
        r = jvm.await(60);
      }
      assertThat(r.exitCode).as(bad).isEqualTo(plain.exitCode);
      assertThat(r.stdout).as(bad).isEqualTo(plain.stdout);
      List<String> errLines = r.stderr.lines().collect(java.util.stream.Collectors.toList());
      assertThat(errLines).as(bad + ": " + r.stderr).hasSize(1);
      assertThat(errLines.get(0)).startsWith("mapaudit: ").endsWith("(agent disabled)");
    }
    assertThat(Files.exists(dir.resolve("mapaudit-report.json"))).isFalse();
  }

  private static JsonNode single(JsonNode report, String site) {
    List<JsonNode> maps = Reports.mapsAt(report, site);
    assertThat(maps).as("maps at " + site + " in " + report.get("maps")).hasSize(1);
    return maps.get(0);
  }
}

package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mapaudit.it.apps.FaultsProgram;
import io.mapaudit.it.apps.InteractiveProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Faults around the agent leave the application alone: a drainer hung in a key's
 * {@code hashCode} neither loses the report nor holds the JVM past the snapshot timeout; an
 * unwritable report directory costs one warning line; JVMs and processes the agent cannot attach
 * to get a clear error, at once.
 */
final class FaultsIT {
  private static final Path WORK = Paths.get("target", "it-work", "faults").toAbsolutePath();

  @Test
  void drainerHungInKeyHashCode_exitWithinSnapshotTimeout_reportStillWritten() throws Exception {
    Path dir = WORK.resolve("stall");
    ForkedJvm.Result r;
    long ended;
    try (ForkedJvm jvm = ForkedJvm.start(dir, List.of(ForkedJvm.javaagent(
        "sampling=1,reportDir=" + dir)), FaultsProgram.class.getName(), "stall")) {
      // Without the bound the JVM would never exit: the drainer never comes back.
      r = jvm.await(120);
      ended = System.currentTimeMillis();
    }
    assertThat(r.timedOut).as(r.toString()).isFalse();
    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.stdout).contains("owned 1", "ledger 10 100");
    long exiting = Long.parseLong(r.stdout.get(r.stdout.size() - 1).split(" ")[1]);
    System.out.println("drainer hung in hashCode: JVM exit took " + (ended - exiting)
        + " ms after main returned (snapshot timeout 3000 ms)");
    assertThat(r.stderr).doesNotContain("report not written");
    JsonNode report = Reports.read(dir.resolve("mapaudit-report.json"));
    assertThat(Reports.mapsAt(report, "io.mapaudit.it.apps.FaultsProgram.main(")).isNotEmpty();
  }

  @Test
  void reportDirNotWritable_oneWarningLine_appUnaffected() throws Exception {
    Path dir = WORK.resolve("unwritable");
    Files.createDirectories(dir);
    // A directory below a regular file: not creatable, whoever runs the test (root included).
    Path file = dir.resolve("a-file");
    Files.write(file, new byte[0]);
    Path reportDir = file.resolve("reports");
    ForkedJvm.Result plain = run(dir, List.of(), "work");
    ForkedJvm.Result agent = run(dir, List.of(ForkedJvm.javaagent("reportDir=" + reportDir)),
        "work");
    assertThat(agent.exitCode).as(agent.toString()).isEqualTo(plain.exitCode).isZero();
    assertThat(withoutExitStamp(agent.stdout)).isEqualTo(withoutExitStamp(plain.stdout));
    List<String> lines = agent.stderr.lines().filter(l -> l.startsWith("mapaudit:"))
        .collect(Collectors.toList());
    assertThat(lines).as(agent.stderr).hasSize(1);
    assertThat(lines.get(0)).contains("report not written to " + reportDir);
  }

  @Test
  void reportCommand_unwritableOut_errorReplyAppUnaffected() throws Exception {
    Path dir = WORK.resolve("report-unwritable");
    Files.createDirectories(dir);
    Path file = dir.resolve("a-file");
    Files.write(file, new byte[0]);
    try (ForkedJvm app = ForkedJvm.start(dir, List.of(ForkedJvm.javaagent(
        "sampling=1,reportDir=" + dir)), InteractiveProgram.class.getName())) {
      String pid = app.expectLine("READY", 60).split(" ")[1];
      ForkedJvm.Result report = ForkedJvm.cli(dir, "report", pid, "--out",
          file.resolve("r.json").toString());
      assertThat(report.exitCode).as(report.toString()).isEqualTo(1);
      assertThat(report.stderr).contains("report " + pid);
      app.send("work 10");
      assertThat(app.expectLine("DONE", 30)).isEqualTo("DONE 45");
      app.send("exit");
      ForkedJvm.Result end = app.await(60);
      assertThat(end.exitCode).as(end.toString()).isZero();
      Reports.read(dir.resolve("mapaudit-report.json"));
    }
  }

  @Test
  void attach_jvmWithAttachDisabled_clearError() throws Exception {
    Path dir = WORK.resolve("attach-disabled");
    try (ForkedJvm app = ForkedJvm.start(dir, List.of("-XX:+DisableAttachMechanism"),
        InteractiveProgram.class.getName())) {
      String pid = app.expectLine("READY", 60).split(" ")[1];
      ForkedJvm.Result attach = ForkedJvm.cli(dir, "attach", pid);
      assertThat(attach.exitCode).as(attach.toString()).isEqualTo(1);
      assertThat(attach.stderr).contains("attach " + pid + " failed")
          .contains("does not support the attach mechanism");
      app.send("work 3");
      assertThat(app.expectLine("DONE", 30)).isEqualTo("DONE 3");
      app.send("exit");
      assertThat(app.await(60).exitCode).isZero();
    }
  }

  @Test
  void attach_processThatIsNoJvm_clearErrorAndProcessUnharmed() throws Exception {
    Path dir = WORK.resolve("attach-not-jvm");
    Process sleeper = new ProcessBuilder("sleep", "120").start();
    try {
      String pid = Long.toString(sleeper.pid());
      ForkedJvm.Result attach = ForkedJvm.cli(dir, "attach", pid);
      assertThat(attach.exitCode).as(attach.toString()).isEqualTo(1);
      assertThat(attach.stderr).contains("attach " + pid + " failed")
          .contains("(sleep) is not a JVM that accepts attach");
      assertThat(sleeper.isAlive()).isTrue();
      ForkedJvm.Result gone = ForkedJvm.cli(dir, "detach", "999999999");
      assertThat(gone.exitCode).isEqualTo(1);
      assertThat(gone.stderr).contains("detach 999999999 failed: no process 999999999");
    } finally {
      sleeper.destroyForcibly();
      sleeper.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static ForkedJvm.Result run(Path dir, List<String> options, String... args)
      throws Exception {
    try (ForkedJvm jvm = ForkedJvm.start(dir, options, FaultsProgram.class.getName(), args)) {
      return jvm.await(120);
    }
  }

  private static List<String> withoutExitStamp(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      if (!l.startsWith("EXITING ")) {
        out.add(l);
      }
    }
    return out;
  }
}

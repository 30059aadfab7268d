package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mapaudit.it.apps.InteractiveProgram;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real agent jar attached to, and detached from, a running JVM through the CLI. */
final class AttachIT {
  private static final Path WORK = Paths.get("target", "it-work", "attach").toAbsolutePath();
  private static final String LEDGER_SITE = "io.mapaudit.it.apps.InteractiveProgram.main(";

  @Test
  void attach_report_detach_reattach_countsOnlyOperationsAfterAttach() throws Exception {
    Path dir = WORK.resolve("cycle");
    try (ForkedJvm app = ForkedJvm.start(dir, List.of("-Dmapaudit.countEntries=true"),
        InteractiveProgram.class.getName())) {
      String pid = app.expectLine("READY", 60).split(" ")[1];
      app.send("work 100");
      app.expectLine("DONE", 30);

      ForkedJvm.Result attach = ForkedJvm.cli(dir, "attach", pid, "sampling=1",
          "reportDir=" + dir);
      assertThat(attach.exitCode).as(attach.toString()).isZero();
      assertThat(attach.stdoutText()).contains("attached in").contains(" ms");

      ForkedJvm.Result again = ForkedJvm.cli(dir, "attach", pid, "sampling=8");
      assertThat(again.exitCode).as(again.toString()).isZero();
      assertThat(again.stdoutText()).contains("already attached").contains("nothing changed");

      app.send("work 7");
      app.expectLine("DONE", 30);
      JsonNode r = Reports.fetch(dir, pid, "after-attach.json");
      assertThat(r.get("agent").get("mode").asText()).isEqualTo("attach");
      assertThat(r.get("agent").get("sampling").asInt()).isEqualTo(1);
      assertThat(r.get("agent").get("sampleDraw").asText()).isEqualTo("thread-seed");
      JsonNode ledger = Reports.mapsAt(r, LEDGER_SITE).get(0);
      assertThat(ledger.get("ops").get("put").asLong()).isEqualTo(7);
      assertThat(ledger.get("ops").get("get").asLong()).isEqualTo(7);

      ForkedJvm.Result status = ForkedJvm.cli(dir, "status", pid);
      assertThat(status.exitCode).as(status.toString()).isZero();
      assertThat(status.stdoutText()).contains("attached (attach)").contains("sampling 1/1");

      ForkedJvm.Result detach = ForkedJvm.cli(dir, "detach", pid);
      assertThat(detach.exitCode).as(detach.toString()).isZero();
      assertThat(detach.stdoutText()).contains("restored original bytecode")
          .contains("java.util.HashMap");

      // After detach the original bytecode runs: the dispatcher is never entered again.
      app.send("entries");
      long before = Long.parseLong(app.expectLine("ENTRIES", 30).split(" ")[1]);
      assertThat(before).isPositive();
      app.send("work 1000");
      app.expectLine("DONE", 30);
      app.send("entries");
      long after = Long.parseLong(app.expectLine("ENTRIES", 30).split(" ")[1]);
      assertThat(after).isEqualTo(before);

      ForkedJvm.Result statusDetached = ForkedJvm.cli(dir, "status", pid);
      assertThat(statusDetached.stdoutText()).contains("not attached");

      ForkedJvm.Result reattach = ForkedJvm.cli(dir, "attach", pid, "sampling=1",
          "reportDir=" + dir);
      assertThat(reattach.exitCode).as(reattach.toString()).isZero();
      assertThat(reattach.stdoutText()).contains("attached in");
      app.send("work 3");
      app.expectLine("DONE", 30);
      JsonNode r2 = Reports.fetch(dir, pid, "after-reattach.json");
      JsonNode ledger2 = Reports.mapsAt(r2, LEDGER_SITE).get(0);
      assertThat(ledger2.get("ops").get("put").asLong()).isEqualTo(3);
      assertThat(r2.get("agent").get("adviceErrors").asLong()).isZero();

      app.send("exit");
      ForkedJvm.Result end = app.await(60);
      assertThat(end.exitCode).as(end.toString()).isZero();
    }
  }

  @Test
  void cli_badInput_oneLineErrorsAndUsageExitCodes() throws Exception {
    Path dir = WORK.resolve("cli");
    ForkedJvm.Result none = ForkedJvm.cli(dir);
    assertThat(none.exitCode).isEqualTo(2);
    assertThat(none.stderr).contains("usage:");
    ForkedJvm.Result notPid = ForkedJvm.cli(dir, "status", "abc");
    assertThat(notPid.exitCode).isEqualTo(2);
    assertThat(notPid.stderr).contains("'abc' is not a pid");
    ForkedJvm.Result badOpt = ForkedJvm.cli(dir, "attach", "1", "sampling=-3");
    assertThat(badOpt.exitCode).isEqualTo(2);
    assertThat(badOpt.stderr).contains("mapaudit: sampling must be between 1");
    ForkedJvm.Result noSuchVm = ForkedJvm.cli(dir, "status", "999999999");
    assertThat(noSuchVm.exitCode).isEqualTo(1);
    assertThat(noSuchVm.stderr).contains("status 999999999 failed");
    ForkedJvm.Result list = ForkedJvm.cli(dir, "list");
    assertThat(list.exitCode).isZero();
    assertThat(list.stdoutText()).contains("JVMs (");
  }
}

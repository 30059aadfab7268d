package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mapaudit.it.apps.InteractiveProgram;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent's own threads and the code they run (drainer, attach handling, report writing,
 * shutdown) are never recorded and never recurse: with every operation recorded and JDK-owned
 * maps included in the report, no map lists an agent thread as a writer, and the agent's own
 * classes never appear as a map's site.
 */
final class RecursionIT {
  private static final Path WORK = Paths.get("target", "it-work", "recursion").toAbsolutePath();

  @Test
  void agentThreads_neverRecorded_evenWithJdkMapsIncluded() throws Exception {
    Path dir = WORK.resolve("run");
    String options = "sampling=1,include=java;jdk;sun;com;io;org,reportDir=" + dir;
    try (ForkedJvm app = ForkedJvm.start(dir, List.of(ForkedJvm.javaagent(options)),
        InteractiveProgram.class.getName())) {
      String pid = app.expectLine("READY", 60).split(" ")[1];
      app.send("work 500");
      app.expectLine("DONE", 30);
      // Attach handling and report writing run on the Attach Listener thread, inside the guard.
      Path out = dir.resolve("mid.json");
      assertThat(ForkedJvm.cli(dir, "status", pid).exitCode).isZero();
      assertThat(ForkedJvm.cli(dir, "report", pid, "--out", out.toString()).exitCode).isZero();
      app.send("exit");
      ForkedJvm.Result end = app.await(60);
      assertThat(end.exitCode).as(end.toString()).isZero();
      assertThat(end.stderr).doesNotContain("StackOverflowError").doesNotContain("Exception");
      for (Path file : List.of(out, dir.resolve("mapaudit-report.json"))) {
        JsonNode report = Reports.read(file);
        assertThat(report.get("agent").get("adviceErrors").asLong()).isZero();
        assertThat(report.get("maps").size()).isGreaterThan(1);
        for (JsonNode m : report.get("maps")) {
          assertThat(m.get("site").asText()).doesNotStartWith("io.mapaudit.agent")
              .doesNotStartWith("io.mapaudit.bootstrap").doesNotStartWith("io.mapaudit.shaded");
          for (JsonNode t : m.get("writerThreadNames")) {
            assertThat(t.asText()).as(m.toString()).doesNotStartWith("mapaudit-")
                .isNotEqualTo("Attach Listener");
          }
        }
      }
    }
  }
}

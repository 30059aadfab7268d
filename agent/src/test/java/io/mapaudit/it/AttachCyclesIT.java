package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mapaudit.it.apps.CycleProgram;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attach → work → detach, five times, on a running service (scripts/attach-cycles.sh does 20 and
 * measures throughput): every detach leaves no agent thread and no shutdown hook behind, the
 * detached session's memory is released, and classes loaded stop growing after the first cycle.
 */
final class AttachCyclesIT {
  private static final Path WORK = Paths.get("target", "it-work", "attach-cycles").toAbsolutePath();
  private static final int CYCLES = 5;

  @Test
  void fiveAttachDetachCycles_noThreadsHooksOrMemoryLeft_classesFlatAfterFirst() throws Exception {
    Path dir = WORK.resolve("cycles");
    try (ForkedJvm app = ForkedJvm.start(dir,
        List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"), CycleProgram.class.getName())) {
      String pid = app.expectLine("READY", 60).split(" ")[1];
      app.send("work 20000");
      app.expectLine("DONE", 60);
      Map<String, Long> before = stats(app);
      Map<String, Long> afterFirst = null;
      for (int cycle = 1; cycle <= CYCLES; cycle++) {
        ForkedJvm.Result attach = ForkedJvm.cli(dir, "attach", pid, "sampling=1",
            "reportDir=" + dir);
        assertThat(attach.exitCode).as(attach.toString()).isZero();
        app.send("work 20000");
        app.expectLine("DONE", 60);
        Map<String, Long> attached = stats(app);
        assertThat(attached.get("agentThreads")).as("drainer while attached").isEqualTo(1);
        assertThat(attached.get("hooks")).isEqualTo(before.get("hooks") + 1);
        ForkedJvm.Result detach = ForkedJvm.cli(dir, "detach", pid);
        assertThat(detach.exitCode).as(detach.toString()).isZero();
        Reports.read(dir.resolve("mapaudit-report.json"));
        Map<String, Long> after = stats(app);
        System.out.println("cycle " + cycle + ": " + after);
        assertThat(after.get("agentThreads")).as("cycle " + cycle).isZero();
        assertThat(after.get("hooks")).as("cycle " + cycle).isEqualTo(before.get("hooks"));
        if (cycle == 1) {
          afterFirst = after;
        }
      }
      Map<String, Long> last = stats(app);
      System.out.println("before: " + before + "\nafter 1: " + afterFirst + "\nafter " + CYCLES
          + ": " + last);
      // The loaded-class count also counts the scratch classes of every retransformation: 9
      // classes at attach and 9 at detach per cycle (-Xlog:class+load shows them as
      // __VM_RedefineClasses__), plus a few reflection accessors while caches warm up.
      assertThat(last.get("classes") - afterFirst.get("classes")).as(last.toString())
          .isLessThan((CYCLES - 1) * 40L);
      // At sampling=1 a session's rings are 8,192 records (~300 KB) per thread; five sessions
      // left on four pool threads plus the side tables would be several MB.
      assertThat(last.get("heap") - afterFirst.get("heap")).as(last.toString())
          .isLessThan(4L << 20);
      app.send("exit");
      assertThat(app.await(60).exitCode).isZero();
    }
  }

  private static Map<String, Long> stats(ForkedJvm app) throws Exception {
    app.send("stats");
    String line = app.expectLine("STATS", 60);
    Map<String, Long> out = new LinkedHashMap<>();
    for (String kv : line.substring("STATS ".length()).split(" ")) {
      String[] p = kv.split("=");
      out.put(p[0], Long.parseLong(p[1]));
    }
    return out;
  }
}

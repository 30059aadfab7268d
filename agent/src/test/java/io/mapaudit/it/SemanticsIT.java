package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mapaudit.it.apps.SemanticsProgram;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent never changes what a map operation returns or throws (DESIGN §8): the same program
 * prints the same bytes with and without the agent at {@code sampling=1} — results, exceptions
 * and their whole stacks — for null keys and values, tree bins, keys whose methods throw or
 * block, a map touched from its own key's {@code hashCode}, compute/merge functions that modify
 * the map, and 10 M-entry maps. Keys whose {@code hashCode}/{@code equals} block are called by
 * the application thread exactly as often with the agent as without (printed, so compared), so
 * the agent adds none of their blocking to the caller; the delays are printed, not asserted.
 */
final class SemanticsIT {
  private static final Path WORK = Paths.get("target", "it-work", "semantics").toAbsolutePath();

  @Test
  void edgeCases_samplingOne_outputIdenticalToNoAgent() throws Exception {
    compare("edge", List.of(), "nulls", "collisions", "throwing", "reentrant", "recursive",
        "blocking");
  }

  @Test
  void tenMillionEntryMaps_samplingOne_outputIdenticalToNoAgent() throws Exception {
    compare("big", List.of("-Xmx3g"), "big", "big=10000000");
  }

  private static void compare(String name, List<String> jvmOptions, String... args)
      throws Exception {
    Path plainDir = WORK.resolve(name + "-plain");
    Path agentDir = WORK.resolve(name + "-agent");
    ForkedJvm.Result plain = run(plainDir, jvmOptions, args);
    List<String> withAgentOptions = new ArrayList<>(jvmOptions);
    withAgentOptions.add(ForkedJvm.javaagent("sampling=1,reportDir=" + agentDir));
    ForkedJvm.Result agent = run(agentDir, withAgentOptions, args);
    assertThat(plain.exitCode).as(plain.toString()).isZero();
    assertThat(agent.exitCode).as(agent.toString()).isZero();
    assertThat(plain.stdoutText()).endsWith("== done");
    assertThat(agent.stdoutText()).isEqualTo(plain.stdoutText());
    JsonNode report = Reports.read(agentDir.resolve("mapaudit-report.json"));
    assertThat(report.get("agent").get("records").asLong()).isPositive();
    for (String line : (plain.stderr + agent.stderr).split("\n")) {
      if (line.startsWith("TIMING") || line.startsWith("INFO")) {
        System.out.println(name + ": " + line);
      }
    }
    System.out.println(name + ": agent stderr:\n" + agent.stderr);
  }

  private static ForkedJvm.Result run(Path dir, List<String> jvmOptions, String... args)
      throws Exception {
    try (ForkedJvm jvm = ForkedJvm.start(dir, jvmOptions, SemanticsProgram.class.getName(),
        args)) {
      return jvm.await(600);
    }
  }
}

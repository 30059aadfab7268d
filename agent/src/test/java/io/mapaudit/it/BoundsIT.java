package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mapaudit.it.apps.SoakProgram;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Short versions of scripts/soak.sh: the agent's state stays within its bounds under load, map
 * churn and a map with many keys. Asserts bounds and counters, never timings; the soak script
 * measures the long runs (heap after GC over time).
 */
final class BoundsIT {
  private static final Path WORK = Paths.get("target", "it-work", "bounds").toAbsolutePath();

  private static JsonNode run(String name, String options, String... args) throws Exception {
    Path dir = WORK.resolve(name);
    ForkedJvm.Result r;
    try (ForkedJvm jvm = ForkedJvm.start(dir, List.of(ForkedJvm.javaagent(
        options + ",reportDir=" + dir)), SoakProgram.class.getName(), args)) {
      r = jvm.await(300);
    }
    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.stdoutText()).contains("DONE ");
    return Reports.read(dir.resolve("mapaudit-report.json"));
  }

  @Test
  void eightThreadsFullRate_tinyRings_dropsCountedAndReported() throws Exception {
    // sampling=1 and 16-record rings: the drainer cannot keep up with eight threads.
    JsonNode agent = run("load", "sampling=1,ringSize=16", "load", "8", "3").get("agent");
    assertThat(agent.get("records").asLong()).isPositive();
    assertThat(agent.get("droppedRecords").asLong()).as(agent.toString()).isPositive();
  }

  @Test
  void shortLivedMaps_sideTableBoundedByMaxMaps_mapsCollected() throws Exception {
    JsonNode report = run("churn", "sampling=1,maxMaps=500", "churn", "300000");
    JsonNode agent = report.get("agent");
    assertThat(agent.get("trackedMaps").asInt()).as(agent.toString()).isBetween(0, 500);
    assertThat(agent.get("mapsCollected").asLong()).as(agent.toString()).isPositive();
    assertThat(agent.get("mapsCollected").asLong() + agent.get("mapsEvicted").asLong()
        + agent.get("trackedMaps").asLong()).isGreaterThan(1000);
    assertThat(report.get("maps").size()).isLessThanOrEqualTo(500);
  }

  @Test
  void manyDistinctKeysInOneMap_perMapStateBounded() throws Exception {
    JsonNode report = run("keys", "sampling=1,topK=10", "keys", "200000");
    List<JsonNode> maps = Reports.mapsAt(report, "io.mapaudit.it.apps.SoakProgram.keys(");
    assertThat(maps).hasSize(1);
    JsonNode m = maps.get(0);
    assertThat(m.get("ops").get("put").asLong()).isEqualTo(200_000);
    assertThat(m.get("hotKeys").size()).isBetween(1, 10);
    assertThat(m.get("misses").get("hotKeys").size()).isLessThanOrEqualTo(8);
    assertThat(report.get("findings").size()).isLessThanOrEqualTo(1000);
  }
}

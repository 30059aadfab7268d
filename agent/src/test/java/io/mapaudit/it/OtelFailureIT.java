package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mapaudit.it.apps.HttpMissProgram;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An OTLP endpoint that is down, answers 500 or answers late: the application runs and exits as
 * without export, the agent says so once, and what it could not deliver is counted.
 */
final class OtelFailureIT {
  private static final Path WORK = Paths.get("target", "it-work", "otel-failure").toAbsolutePath();
  private static final String CLASSES = System.getProperty("mapaudit.test.classes",
      "target/test-classes");
  private static List<String> plainStdout;

  @BeforeAll
  static void withoutAgent() throws Exception {
    try (ForkedJvm jvm = ForkedJvm.start(WORK.resolve("plain"), List.of(), CLASSES, Map.of(),
        HttpMissProgram.class.getName())) {
      ForkedJvm.Result r = jvm.await(120);
      assertThat(r.exitCode).as(r.toString()).isZero();
      plainStdout = withoutTimes(r.stdout);
    }
  }

  @Test
  void endpointDown_appUnaffected_oneWarning_spanCountedAsDropped() throws Exception {
    Result r = run("down", "http://127.0.0.1:" + OtlpReceiver.closedPort());
    assertThat(r.warnings).as(r.jvm.toString()).hasSize(1);
    assertThat(r.warnings.get(0)).startsWith("mapaudit: OpenTelemetry export to http://127.0.0.1:");
    assertThat(r.otel.get("spans").asLong()).isEqualTo(1);
    assertThat(r.otel.get("spansExported").asLong()).isZero();
    assertThat(r.otel.get("spansDropped").asLong()).isEqualTo(1);
  }

  @Test
  void endpointAnswers500_appUnaffected_oneWarning_spanCountedAsDropped() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver().status(500)) {
      Result r = run("status-500", receiver.endpoint());
      // One warning for the first failed export, traces or metrics, whichever the SDK sent first.
      assertThat(r.warnings).as(r.jvm.toString()).hasSize(1);
      assertThat(r.warnings.get(0)).matches("mapaudit: OpenTelemetry export to "
          + java.util.regex.Pattern.quote(receiver.endpoint()) + "/v1/(traces|metrics) failed "
          + "\\(HTTP 500\\); telemetry is dropped while it fails \\(counts: report agent\\.otel\\)");
      assertThat(r.otel.get("spansDropped").asLong()).isEqualTo(1);
      assertThat(r.otel.get("metricExportsFailed").asLong()).isPositive();
      assertThat(receiver.requests()).isPositive();
    }
  }

  @Test
  void endpointSlow_exitWaitsAtMostTheShutdownBound_spanCountedAsDropped() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver().delay(15_000)) {
      Result r = run("slow", receiver.endpoint());
      assertThat(r.warnings).as(r.jvm.toString()).hasSize(1);
      assertThat(r.warnings.get(0)).contains("did not finish within 2000 ms at shutdown");
      assertThat(r.otel.get("spansDropped").asLong()).isEqualTo(1);
      // From the program's last line to the end of the process: the 2 s bound, the report, the
      // JVM's own exit; far below the receiver's 15 s and the exporter's 10 s timeout.
      assertThat(r.exitMillis - r.doneMillis).as(r.jvm.toString()).isLessThan(6_000);
    }
  }

  private static final class Result {
    ForkedJvm.Result jvm;
    List<String> warnings;
    JsonNode otel;
    long doneMillis;
    long exitMillis;
  }

  private static Result run(String name, String endpoint) throws Exception {
    Path dir = WORK.resolve(name);
    Result out = new Result();
    try (ForkedJvm jvm = ForkedJvm.start(dir, List.of(ForkedJvm.javaagent(
        "sampling=1,include=io.mapaudit.it.apps,summary=false,reportDir=" + dir
            + ",otel.endpoint=" + endpoint)), CLASSES, Map.of(),
        HttpMissProgram.class.getName())) {
      out.jvm = jvm.await(120);
      out.exitMillis = System.currentTimeMillis();
    }
    ForkedJvm.Result r = out.jvm;
    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(withoutTimes(r.stdout)).isEqualTo(plainStdout);
    String done = r.stdout.get(r.stdout.size() - 1);
    out.doneMillis = Long.parseLong(done.substring("done at ".length()));
    out.warnings = r.stderr.lines().filter(l -> l.contains("OpenTelemetry"))
        .collect(Collectors.toList());
    out.otel = Reports.read(dir.resolve("mapaudit-report.json")).get("agent").get("otel");
    return out;
  }

  private static List<String> withoutTimes(List<String> lines) {
    return lines.stream().map(l -> l.startsWith("done at ") ? "done" : l)
        .collect(Collectors.toList());
  }
}

package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mapaudit.it.OtlpReceiver.ReceivedMetric;
import io.mapaudit.it.OtlpReceiver.ReceivedSpan;
import io.mapaudit.it.apps.HttpMissProgram;
import io.mapaudit.it.apps.MissOnDemandProgram;
import io.mapaudit.it.apps.OtelApiProgram;
import io.mapaudit.it.apps.OpsProgram;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Finding spans and map metrics as an OTLP receiver gets them from the real agent jar. */
final class OtelExportIT {
  private static final Path WORK = Paths.get("target", "it-work", "otel").toAbsolutePath();
  private static final String APPS = "io.mapaudit.it.apps";

  @Test
  void appSpanActive_missingBalance_findingSpanIsItsChildWithAttributesAndMetrics()
      throws Exception {
    Path dir = WORK.resolve("api");
    int promPort = freePort();
    ForkedJvm.Result r;
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      // The application's own OTEL_* settings (gRPC, sampler off) must not reach our export.
      try (ForkedJvm jvm = ForkedJvm.start(dir, List.of(
          ForkedJvm.javaagent("sampling=1,include=" + APPS + ",reportDir=" + dir
              + ",otel.endpoint=" + receiver.endpoint() + ",prometheus=127.0.0.1:" + promPort),
          "-Dotel.exporter.otlp.protocol=grpc", "-Dotel.traces.sampler=always_off",
          "-Dotel.service.name=shop",
          "-Dotel.resource.attributes=deployment.environment.name=test"),
          ForkedJvm.testClassPath(), Map.of(), OtelApiProgram.class.getName(),
          String.valueOf(promPort))) {
        r = jvm.await(120);
      }
      assertThat(r.exitCode).as(r.toString()).isZero();
      Matcher app = Pattern.compile("app-span trace=(\\w+) span=(\\w+) thread=(\\d+) line=(\\d+)")
          .matcher(r.stdout.get(0));
      assertThat(app.matches()).as(r.toString()).isTrue();
      assertThat(r.stdout.get(1)).isEqualTo(
          "own-log-manager=true global-is-app-sdk=true total=62.5 bob=0.0");

      List<ReceivedSpan> found = receiver.awaitSpans(
          s -> s.name().equals("map.default_on_missing_key"), 10_000);
      assertThat(found).as(receiver.spans().toString()).hasSize(1);
      ReceivedSpan s = found.get(0);
      String site = APPS + ".OtelApiProgram.lambda$main$0(OtelApiProgram.java:" + app.group(4)
          + ")";
      assertThat(s.scope).isEqualTo("mapaudit");
      assertThat(s.traceId()).isEqualTo(app.group(1));
      assertThat(s.parentSpanId()).isEqualTo(app.group(2));
      assertThat(s.span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
      assertThat(s.span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      Map<String, Object> a = s.attributes();
      assertThat(a).containsEntry("code.function.name", APPS + ".OtelApiProgram.lambda$main$0")
          .containsEntry("code.file.path", "OtelApiProgram.java")
          .containsEntry("code.line.number", Long.parseLong(app.group(4)))
          .containsEntry("code.stacktrace", "\tat " + site + "\n")
          .containsEntry("thread.id", Long.parseLong(app.group(3)))
          .containsEntry("thread.name", "settle-worker")
          .containsEntry("mapaudit.kind", "DEFAULT_ON_MISSING_KEY")
          .containsEntry("mapaudit.severity", "error")
          .containsEntry("mapaudit.map.type", "java.util.HashMap")
          .containsEntry("mapaudit.site", site)
          .containsEntry("mapaudit.key", "bob")
          .containsEntry("mapaudit.count", 1L)
          .containsEntry("mapaudit.repeat", false);
      assertThat((String) a.get("mapaudit.map.id")).startsWith("HashMap@");
      assertThat(s.resource).containsEntry("service.name", "shop")
          .containsEntry("deployment.environment.name", "test")
          .containsEntry("telemetry.distro.name", "mapaudit");
      // The application's own spans were never exported (it has no exporter): only ours arrived.
      assertThat(receiver.spans()).allSatisfy(x -> assertThat(x.scope).isEqualTo("mapaudit"));

      Map<String, ReceivedMetric> metrics = latest(receiver.metrics());
      // What one run sends, for the docs (target/failsafe-reports/*OtelExportIT-output.txt).
      System.out.println("received spans:\n  " + receiver.spans().stream().map(Object::toString)
          .collect(Collectors.joining("\n  ")));
      System.out.println("received metrics (last export):");
      metrics.values().forEach(m -> System.out.println("  " + m + " "
          + OtlpReceiver.pointAttributes(m.metric)));
      assertThat(metrics.keySet()).contains("mapaudit.map.operations", "mapaudit.map.misses",
          "mapaudit.findings", "mapaudit.map.operation.duration");
      ReceivedMetric ops = metrics.get("mapaudit.map.operations");
      assertThat(ops.metric.getUnit()).isEqualTo("{operation}");
      assertThat(ops.metric.getSum().getIsMonotonic()).isTrue();
      assertThat(OtlpReceiver.pointAttributes(ops.metric)).containsExactlyInAnyOrder(
          point("java.util.HashMap", "put", 1L), point("java.util.HashMap", "get", 5L),
          point("java.util.HashMap", "getOrDefault", 1L));
      assertThat(OtlpReceiver.pointAttributes(metrics.get("mapaudit.map.misses").metric))
          .containsExactly(point("java.util.HashMap", "getOrDefault", 1L));
      assertThat(OtlpReceiver.pointAttributes(metrics.get("mapaudit.findings").metric))
          .containsExactly(Map.of("mapaudit.kind", "DEFAULT_ON_MISSING_KEY",
              "mapaudit.severity", "error", "$value", 1L));
      ReceivedMetric duration = metrics.get("mapaudit.map.operation.duration");
      assertThat(duration.metric.getUnit()).isEqualTo("s");
      List<Map<String, Object>> hist = OtlpReceiver.pointAttributes(duration.metric);
      assertThat(hist).hasSize(3);
      assertThat(hist.get(0).get("$bounds")).isEqualTo(List.of(1e-7, 2.5e-7, 5e-7, 1e-6,
          2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2));
      assertThat(hist.stream().mapToLong(p -> (Long) p.get("$count")).sum()).isEqualTo(7);
    }
    // The Prometheus endpoint, scraped by the program itself on the loopback address it was given.
    List<String> prom = r.stdout.stream().filter(l -> l.startsWith("prometheus "))
        .collect(Collectors.toList());
    assertThat(prom).anyMatch(l -> l.startsWith("prometheus mapaudit_map_operations_total{")
        && l.contains("mapaudit_map_type=\"java.util.HashMap\"")
        && l.contains("mapaudit_operation=\"get\"") && l.endsWith(" 5.0"));
    assertThat(prom).anyMatch(l -> l.startsWith("prometheus mapaudit_map_operation_duration_seconds_bucket{"));
    JsonNode otel = Reports.read(dir.resolve("mapaudit-report.json")).get("agent").get("otel");
    assertThat(otel.get("spansExported").asLong()).as(otel.toString()).isEqualTo(1);
    assertThat(otel.get("spansDropped").asLong()).isZero();
    assertThat(otel.get("metricExportsFailed").asLong()).isZero();
    assertThat(otel.get("prometheus").asText()).isEqualTo("127.0.0.1:" + promPort);
    assertThat(r.stderr).doesNotContain("OpenTelemetry");
  }

  @Test
  void auto_endpointFromEnvironment_exportsWithEnvironmentServiceAndResource() throws Exception {
    Path dir = WORK.resolve("env");
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      ForkedJvm.Result r;
      try (ForkedJvm jvm = ForkedJvm.start(dir, List.of(ForkedJvm.javaagent("sampling=1,include="
          + APPS + ",reportDir=" + dir)), ForkedJvm.testClassPath(), Map.of(
              "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
              "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
              "OTEL_SERVICE_NAME", "billing",
              "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=ci,team=pay%20ments"),
          HttpMissProgram.class.getName())) {
        r = jvm.await(120);
      }
      assertThat(r.exitCode).as(r.toString()).isZero();
      List<ReceivedSpan> found = receiver.awaitSpans(
          s -> s.name().equals("map.default_on_missing_key"), 10_000);
      assertThat(found).as(r.toString()).hasSize(1);
      ReceivedSpan s = found.get(0);
      assertThat(s.resource).containsEntry("service.name", "billing")
          .containsEntry("deployment.environment.name", "ci").containsEntry("team", "pay ments");
      // No application span: a root span, with the thread that hit it.
      assertThat(s.parentSpanId()).isEmpty();
      assertThat(s.attributes()).containsEntry("thread.name", "balance-worker")
          .containsEntry("code.function.name", APPS + ".HttpMissProgram.lambda$main$2");
    }
  }

  @Test
  void auto_noEndpoint_loadsNoExportClassesAndOpensNoSocket() throws Exception {
    Path dir = WORK.resolve("off");
    Files.createDirectories(dir);
    Path classes = dir.resolve("classes.log");
    ForkedJvm.Result r;
    try (ForkedJvm jvm = ForkedJvm.start(dir, List.of(
        ForkedJvm.javaagent("sampling=1,reportDir=" + dir),
        "-Xlog:class+load=info:file=" + classes), ForkedJvm.testClassPath(), Map.of(),
        OpsProgram.class.getName())) {
      r = jvm.await(120);
    }
    assertThat(r.exitCode).as(r.toString()).isZero();
    List<String> loaded = Files.readAllLines(classes);
    assertThat(loaded).as("agent classes must have loaded")
        .anyMatch(l -> l.contains("io.mapaudit.agent.AgentSession"));
    assertThat(loaded).noneMatch(l -> l.contains("io.mapaudit.shaded.io.opentelemetry")
        || l.contains("io.mapaudit.agent.otel.OtelPipeline")
        || l.contains("java.net.http.") || l.contains("java.net.Socket ")
        // sun.nio.ch.Net makes sockets (SocketChannelImpl alone is loaded by JDK 25's own
        // start-up, for an instanceof check when it reads java.security).
        || l.contains("sun.nio.ch.Net ") || l.contains("sun.net.httpserver"));
    JsonNode agent = Reports.read(dir.resolve("mapaudit-report.json")).get("agent");
    assertThat(agent.has("otel")).isFalse();
  }

  @Test
  void attachThenDetach_findingFlushedAtDetach_exportThreadsAndEndpointGone() throws Exception {
    Path dir = WORK.resolve("attach");
    int promPort = freePort();
    try (OtlpReceiver receiver = new OtlpReceiver();
        ForkedJvm app = ForkedJvm.start(dir, List.of(), ForkedJvm.testClassPath(), Map.of(),
            MissOnDemandProgram.class.getName())) {
      String pid = app.expectLine("READY", 60).split(" ")[1];
      ForkedJvm.Result attach = ForkedJvm.cli(dir, "attach", pid, "sampling=1", "include=" + APPS,
          "reportDir=" + dir, "otel.endpoint=" + receiver.endpoint(),
          "prometheus=127.0.0.1:" + promPort);
      assertThat(attach.exitCode).as(attach.toString()).isZero();
      app.send("miss");
      app.expectLine("MISSED 0.0", 30);
      ForkedJvm.Result detach = ForkedJvm.cli(dir, "detach", pid);
      assertThat(detach.exitCode).as(detach.toString()).isZero();
      // Flushed by the detach itself: already there, no export interval to wait for.
      assertThat(receiver.spans()).as(app.stderr())
          .anyMatch(x -> x.name().equals("map.default_on_missing_key"));
      assertThat(latest(receiver.metrics())).containsKey("mapaudit.map.operations");
      app.send("after-detach " + promPort);
      assertThat(app.expectLine("EXPORT-THREADS", 30)).isEqualTo("EXPORT-THREADS 0 PORT-OPEN false");
      app.send("exit");
      assertThat(app.await(60).exitCode).isZero();
    }
  }

  static Map<String, Object> point(String type, String op, long value) {
    return Map.of("mapaudit.map.type", type, "mapaudit.operation", op, "$value", value);
  }

  /** The last export of each of our metrics (cumulative: the last one holds the totals). */
  static Map<String, ReceivedMetric> latest(List<ReceivedMetric> all) {
    Map<String, ReceivedMetric> out = new java.util.LinkedHashMap<>();
    for (ReceivedMetric m : all) {
      if (m.scope.equals("mapaudit")) {
        out.put(m.metric.getName(), m);
      }
    }
    return out;
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mapaudit.it.OtlpReceiver.ReceivedSpan;
import io.mapaudit.it.apps.HttpMissProgram;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Beside the official OpenTelemetry Java agent (DESIGN §6): the finding span joins the trace of
 * the server span that agent made, and our own OTLP requests, which go through the JDK
 * HttpClient it instruments, must not show up as client spans of the application.
 */
final class OtelCoexistenceIT {
  private static final Path WORK = Paths.get("target", "it-work", "otel-coexistence")
      .toAbsolutePath();
  private static final String OFFICIAL = System.getProperty("mapaudit.otel.javaagent",
      "target/otel-javaagent/opentelemetry-javaagent.jar");

  @Test
  void oursFirst_findingIsChildOfOfficialServerSpan_noClientSpanForOurExport() throws Exception {
    Run run = run("ours-first", true, true);
    assertChildOfServerSpan(run);
    assertThat(exportClientSpans(run)).as(run.receiver.toString()).isEmpty();
    assertThat(exportRequestsWithTraceparent(run)).isEmpty();
  }

  @Test
  void officialFirst_findingIsChildOfOfficialServerSpan_noClientSpanForOurExport()
      throws Exception {
    Run run = run("official-first", false, true);
    assertChildOfServerSpan(run);
    assertThat(exportClientSpans(run)).isEmpty();
    assertThat(exportRequestsWithTraceparent(run)).isEmpty();
  }

  /** The trap itself, shown with the suppression turned off: this is what the fix removes. */
  @Test
  void withoutSuppression_exportRequestsBecomeClientSpans() throws Exception {
    Run run = run("unsuppressed", true, false);
    assertChildOfServerSpan(run);
    List<ReceivedSpan> clients = exportClientSpans(run);
    assertThat(clients).isNotEmpty();
    assertThat(clients).allSatisfy(s -> {
      assertThat(s.resource).containsEntry("service.name", "shop");
      assertThat(s.scope).isEqualTo("io.opentelemetry.java-http-client");
    });
    assertThat(exportRequestsWithTraceparent(run)).isNotEmpty();
  }

  private static final class Run {
    final List<ReceivedSpan> spans;
    final List<Map<String, List<String>>> headers;
    final String receiver;
    final ForkedJvm.Result result;

    Run(List<ReceivedSpan> spans, List<Map<String, List<String>>> headers, String receiver,
        ForkedJvm.Result result) {
      this.spans = spans;
      this.headers = headers;
      this.receiver = receiver;
      this.result = result;
    }
  }

  private static Run run(String name, boolean oursFirst, boolean suppress) throws Exception {
    Path dir = WORK.resolve(name);
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      String ours = ForkedJvm.javaagent("sampling=1,include=io.mapaudit.it.apps,reportDir=" + dir);
      String official = "-javaagent:" + Paths.get(OFFICIAL).toAbsolutePath();
      List<String> opts = new ArrayList<>(oursFirst ? List.of(ours, official)
          : List.of(official, ours));
      // Both agents take the endpoint from the standard setting (ours too: otel=auto).
      opts.addAll(List.of("-Dotel.exporter.otlp.endpoint=" + receiver.endpoint(),
          "-Dotel.exporter.otlp.protocol=http/protobuf", "-Dotel.service.name=shop",
          "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
          "-Dotel.bsp.schedule.delay=100", "-Dmapaudit.otel.metricIntervalMillis=300",
          "-Dmapaudit.otel.suppressForeignInstrumentation=" + suppress));
      ForkedJvm.Result r;
      try (ForkedJvm jvm = ForkedJvm.start(dir, opts,
          System.getProperty("mapaudit.test.classes", "target/test-classes"), Map.of(),
          HttpMissProgram.class.getName(), "wait")) {
        jvm.expectLine("waiting", 120);
        // Our span and some of our metric exports arrive while the application runs, so the
        // client spans they may cause end before the official agent flushes at exit.
        assertThat(receiver.awaitSpans(s -> s.scope.equals("mapaudit"), 30_000))
            .as(jvm.stderr()).isNotEmpty();
        assertThat(receiver.awaitMetrics(m -> m.scope.equals("mapaudit"), 30_000)).isNotEmpty();
        int before = receiver.metrics().size();
        receiver.awaitMetrics(m -> m.scope.equals("mapaudit")
            && receiver.metrics().size() > before, 30_000);
        jvm.send("exit");
        r = jvm.await(120);
      }
      assertThat(r.exitCode).as(r.toString()).isZero();
      assertThat(r.stdout.get(0)).isEqualTo("balance=0.0");
      return new Run(receiver.spans(), receiver.requestHeaders(),
          receiver.spans().stream().map(Object::toString).collect(Collectors.joining("\n")), r);
    }
  }

  private static void assertChildOfServerSpan(Run run) {
    List<ReceivedSpan> servers = run.spans.stream()
        .filter(s -> s.span.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
        .collect(Collectors.toList());
    assertThat(servers).as(run.receiver + "\n" + run.result).hasSize(1);
    List<ReceivedSpan> ours = run.spans.stream()
        .filter(s -> s.name().equals("map.default_on_missing_key"))
        .collect(Collectors.toList());
    assertThat(ours).as(run.receiver).hasSize(1);
    ReceivedSpan finding = ours.get(0);
    assertThat(finding.scope).isEqualTo("mapaudit");
    assertThat(finding.traceId()).isEqualTo(servers.get(0).traceId());
    assertThat(finding.parentSpanId()).isEqualTo(servers.get(0).spanId());
    assertThat(finding.attributes()).containsEntry("thread.name", "balance-worker");
  }

  /** Client spans for requests to the receiver's OTLP paths: those are our exports. */
  private static List<ReceivedSpan> exportClientSpans(Run run) {
    return run.spans.stream()
        .filter(s -> s.span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
        .filter(s -> String.valueOf(s.attributes().get("url.full")).contains("/v1/"))
        .collect(Collectors.toList());
  }

  /** OTLP requests that carried a traceparent header (only an instrumented client adds one). */
  private static List<Map<String, List<String>>> exportRequestsWithTraceparent(Run run) {
    return run.headers.stream().filter(h -> h.containsKey("traceparent"))
        .collect(Collectors.toList());
  }
}

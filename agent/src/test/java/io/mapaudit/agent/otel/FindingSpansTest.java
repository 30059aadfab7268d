package io.mapaudit.agent.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.mapaudit.agent.audit.Aggregator;
import io.mapaudit.agent.config.AgentOptions;
import io.mapaudit.agent.detect.Finding;
import io.mapaudit.agent.detect.FindingEvent;
import io.mapaudit.agent.detect.FindingKind;
import io.mapaudit.agent.detect.FindingStore;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.Test;

final class FindingSpansTest {
  private static final String SITE = "com.acme.Ledger.balance(Ledger.java:42)";
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";

  private final TestTelemetry otel = new TestTelemetry();
  private final FindingStore store = new FindingStore();
  private final Aggregator aggregator = new Aggregator(AgentOptions.defaults(), store,
      String::valueOf);
  private final FindingSpans spans = new FindingSpans(otel.tracers.get("mapaudit"),
      otel.meters.get("mapaudit").counterBuilder("mapaudit.findings").build(), aggregator);

  private Finding finding(FindingKind kind, FindingKind.Severity severity, Object ctx,
      List<StackTraceElement> stack) {
    FindingEvent e = new FindingEvent(kind, severity, null, SITE, null, List.of("worker-1"), "bob",
        stack, null, 1, "absent key read as the caller's default 0.0 (numeric zero)")
        .withTraceContext(ctx).withMap("java.util.HashMap", "HashMap@1");
    return store.merge(e, m -> new String[] {"java.util.HashMap", "HashMap@1"}, String::valueOf);
  }

  @Test
  void newFinding_sampledAppSpan_childWithAttributes() {
    Finding f = finding(FindingKind.DEFAULT_ON_MISSING_KEY, FindingKind.Severity.ERROR,
        new AppTraceContext.Captured(7L, "worker-1", TRACE, SPAN, (byte) 1), null);
    spans.onNewFinding(f);
    assertThat(otel.spans).hasSize(1);
    SpanData s = otel.spans.get(0);
    assertThat(s.getName()).isEqualTo("map.default_on_missing_key");
    assertThat(s.getTraceId()).isEqualTo(TRACE);
    assertThat(s.getParentSpanId()).isEqualTo(SPAN);
    assertThat(s.getParentSpanContext().isRemote()).isTrue();
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(s.getAttributes().get(AttributeKey.stringKey("code.function.name")))
        .isEqualTo("com.acme.Ledger.balance");
    assertThat(s.getAttributes().get(AttributeKey.stringKey("code.file.path")))
        .isEqualTo("Ledger.java");
    assertThat(s.getAttributes().get(AttributeKey.longKey("code.line.number"))).isEqualTo(42L);
    assertThat(s.getAttributes().get(AttributeKey.longKey("thread.id"))).isEqualTo(7L);
    assertThat(s.getAttributes().get(AttributeKey.stringKey("mapaudit.key"))).isEqualTo("bob");
    assertThat(s.getAttributes().get(AttributeKey.stringKey("mapaudit.map.type")))
        .isEqualTo("java.util.HashMap");
  }

  @Test
  void newFinding_unsampledAppSpan_rootSpanLinkingIt() {
    spans.onNewFinding(finding(FindingKind.DEFAULT_ON_MISSING_KEY, FindingKind.Severity.WARNING,
        new AppTraceContext.Captured(7L, "worker-1", TRACE, SPAN, (byte) 0), null));
    SpanData s = otel.spans.get(0);
    assertThat(s.getParentSpanContext().isValid()).isFalse();
    assertThat(s.getTraceId()).isNotEqualTo(TRACE);
    assertThat(s.getLinks()).hasSize(1);
    assertThat(s.getLinks().get(0).getSpanContext().getSpanId()).isEqualTo(SPAN);
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void newFinding_withStacks_stackFramesWinOverSite() {
    List<StackTraceElement> stack = List.of(
        new StackTraceElement("com.acme.Cache", "put", "Cache.java", 31),
        new StackTraceElement("com.acme.Api", "handle", "Api.java", 7));
    spans.onNewFinding(finding(FindingKind.CONCURRENT_WRITE, null, null, stack));
    SpanData s = otel.spans.get(0);
    assertThat(s.getName()).isEqualTo("map.concurrent_write");
    assertThat(s.getAttributes().get(AttributeKey.stringKey("code.stacktrace")))
        .isEqualTo("\tat com.acme.Cache.put(Cache.java:31)\n\tat com.acme.Api.handle(Api.java:7)\n");
    assertThat(s.getAttributes().get(AttributeKey.longKey("code.line.number"))).isEqualTo(31L);
    assertThat(s.getAttributes().get(AttributeKey.stringKey("thread.name"))).isEqualTo("worker-1");
  }

  @Test
  void repeats_atMostOncePerMinute_carryingTheNewCount() {
    Finding f = finding(FindingKind.MISSING_KEY, null, null, null);
    spans.onNewFinding(f);
    long t0 = System.currentTimeMillis();
    finding(FindingKind.MISSING_KEY, null, null, null);
    spans.tick(t0 + 2_000);
    assertThat(otel.spans).hasSize(1);
    spans.tick(t0 + FindingSpans.REPEAT_MILLIS + 1_000);
    assertThat(otel.spans).hasSize(2);
    SpanData repeat = otel.spans.get(1);
    assertThat(repeat.getAttributes().get(AttributeKey.booleanKey("mapaudit.repeat"))).isTrue();
    assertThat(repeat.getAttributes().get(AttributeKey.longKey("mapaudit.count"))).isEqualTo(2L);
    spans.tick(t0 + FindingSpans.REPEAT_MILLIS + 5_000);
    assertThat(otel.spans).as("no new occurrence, no repeat").hasSize(2);
  }

  @Test
  void findingsCounter_countsOccurrencesByKindAndSeverity() {
    Finding f = finding(FindingKind.MISSING_KEY, null, null, null);
    spans.onNewFinding(f);
    finding(FindingKind.MISSING_KEY, null, null, null);
    finding(FindingKind.MISSING_KEY, null, null, null);
    spans.tick(System.currentTimeMillis() + 2_000);
    List<LongPointData> points = List.copyOf(
        otel.collect().get("mapaudit.findings").getLongSumData().getPoints());
    assertThat(points).hasSize(1);
    assertThat(points.get(0).getValue()).isEqualTo(3);
    assertThat(points.get(0).getAttributes().get(FindingSpans.KIND)).isEqualTo("MISSING_KEY");
    assertThat(points.get(0).getAttributes().get(FindingSpans.SEVERITY)).isEqualTo("info");
  }

  @Test
  void parseSite_formsWithAndWithoutLine() {
    assertThat(FindingSpans.parseSite("a.b.C.m(C.java:3)")).containsExactly("a.b.C.m", "C.java",
        "3");
    assertThat(FindingSpans.parseSite("a.b.C$1.lambda$run$0(C.java)"))
        .containsExactly("a.b.C$1.lambda$run$0", "C.java", null);
    assertThat(FindingSpans.parseSite("unknown")).isNull();
  }
}

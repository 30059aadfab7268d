package io.mapaudit.agent.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** The unit tests' class path holds the unrelocated API: here it is the application's. */
final class AppTraceContextTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";

  @Test
  void disarmed_capturesNothing() {
    assertThat(new AppTraceContext().capture()).isNull();
  }

  @Test
  void appSpanCurrent_capturesItsIdsAndTheThread() {
    AppTraceContext c = new AppTraceContext();
    c.arm();
    Span app = Span.wrap(SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(),
        TraceState.getDefault()));
    AppTraceContext.Captured got;
    try (Scope ignored = app.makeCurrent()) {
      got = (AppTraceContext.Captured) c.capture();
    }
    assertThat(got.hasSpan()).isTrue();
    assertThat(got.traceId).isEqualTo(TRACE);
    assertThat(got.spanId).isEqualTo(SPAN);
    assertThat(got.sampled()).isTrue();
    assertThat(got.threadId).isEqualTo(Thread.currentThread().getId());
    assertThat(got.threadName).isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void noCurrentSpan_capturesTheThreadOnly() {
    AppTraceContext c = new AppTraceContext();
    c.arm();
    AppTraceContext.Captured got = (AppTraceContext.Captured) c.capture();
    assertThat(got.hasSpan()).isFalse();
    assertThat(got.threadName).isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void contextLoaderWithoutApi_fallsBackToSystemLoader() throws Exception {
    AppTraceContext c = new AppTraceContext();
    c.arm();
    Thread t = Thread.currentThread();
    ClassLoader saved = t.getContextClassLoader();
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null);
        Scope ignored = Span.wrap(SpanContext.create(TRACE, SPAN, TraceFlags.getDefault(),
            TraceState.getDefault())).makeCurrent()) {
      t.setContextClassLoader(empty);
      assertThat(AppTraceContext.lookup(empty, "")).isNull();
      AppTraceContext.Captured got = (AppTraceContext.Captured) c.capture();
      assertThat(got.spanId).isEqualTo(SPAN);
      assertThat(got.sampled()).isFalse();
    } finally {
      t.setContextClassLoader(saved);
    }
  }

  @Test
  void classNames_survivingShadeRelocation() {
    assertThat(AppTraceContext.SPAN).isEqualTo("io.opentelemetry.api.trace.Span");
    assertThat(AppTraceContext.AGENT_PREFIX).isEqualTo("io.opentelemetry.javaagent.shaded.");
  }
}

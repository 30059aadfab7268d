package io.mapaudit.agent.otel;

import io.mapaudit.agent.AgentConsole;
import io.mapaudit.agent.audit.Aggregator;
import io.mapaudit.agent.config.AgentOptions;
import io.mapaudit.agent.record.RecordingSink;
import io.mapaudit.bootstrap.ReentrancyGuard;
import java.util.Map;

/**
 * The OpenTelemetry export of one agent session (DESIGN §6): finding spans and map metrics over
 * OTLP/HTTP, and the optional Prometheus endpoint. {@link #start} returns null when nothing is to
 * be exported; {@link #shutdown} ends it within a bounded time.
 *
 * <p>This class touches no OpenTelemetry class itself: with export off, the shaded SDK is never
 * even loaded and nothing tries the network (OtelExportIT auto_noEndpoint_*). Spans and metric
 * points are made on the drainer thread, exports run on daemon agent threads; an endpoint that
 * is down, slow or failing costs dropped telemetry (counted in {@link #stats()}) and one warning
 * line, never a blocked or delayed application.
 */
public final class OtelExport {
  /** How often the hot-key share gauge is refreshed. */
  static final long HOT_KEY_EXPORT_MILLIS = 10_000L;

  private final OtelPipeline pipeline;

  private OtelExport(OtelPipeline pipeline) {
    this.pipeline = pipeline;
  }

  /**
   * Starts the export the options and environment ask for, and hooks it into the session: a
   * finding listener, a record listener and a ticker on {@code aggregator}, and the trace-context
   * capture on {@code sink}. Call before the drainer starts. Returns null when nothing is to be
   * exported, or when the OpenTelemetry settings are unusable (after one line on stderr): the
   * agent then runs on without export. Never throws.
   */
  public static OtelExport start(AgentOptions options, Aggregator aggregator, RecordingSink sink,
      int sampling, String version) {
    OtelSettings settings;
    try {
      settings = OtelSettings.resolve(options);
    } catch (RuntimeException e) {
      AgentConsole.line("OpenTelemetry export off: " + e.getMessage());
      return null;
    }
    if (!settings.any()) {
      AgentConsole.debug("OpenTelemetry export off (no endpoint configured)");
      return null;
    }
    // The SDK's own map use while it is built must not show up as the application's.
    ReentrancyGuard.state().enterAgent();
    try {
      OtelPipeline p = new OtelPipeline(settings, aggregator, version, sampling);
      aggregator.addListener(p.spans);
      if (settings.otlp()) {
        AppTraceContext capture = new AppTraceContext();
        sink.setTraceContextCapture(capture);
        // Armed by the drainer's first record: the session's preload is over by then.
        aggregator.addRecordListener((profile, op, flags, nanos) -> capture.arm());
      }
      aggregator.addRecordListener(p.metrics);
      aggregator.addTicker(p.spans::tick);
      long[] last = {0L};
      // mapaudit.map.hot_key.share: the top keys per map, every 10 s (bounded cardinality).
      aggregator.addTicker(now -> {
        if (now - last[0] >= HOT_KEY_EXPORT_MILLIS) {
          last[0] = now;
          aggregator.forEachHotKey(MapMetrics.MAX_HOT_KEYS, p.metrics::recordHotKeyShare);
          p.metrics.publishHotKeyShares();
        }
      });
      AgentConsole.debug("OpenTelemetry export: " + settings);
      return new OtelExport(p);
    } catch (Throwable t) {
      AgentConsole.line("OpenTelemetry export off: cannot start: " + OtelPipeline.rootMessage(t));
      return null;
    } finally {
      ReentrancyGuard.state().exitAgent();
    }
  }

  /**
   * Flushes what is buffered and stops every export thread and the Prometheus endpoint, waiting
   * at most {@code millis}; what is not delivered by then is counted as dropped. Idempotent.
   */
  public void shutdown(long millis) {
    pipeline.shutdown(millis);
  }

  /**
   * Sets what each metric collection (OTLP export, Prometheus scrape) runs first, before any
   * instrument is read: the session passes a drain, so metrics include every record sampled
   * before the collection. It must not throw.
   */
  public void beforeCollect(Runnable drain) {
    pipeline.metrics.beforeCollect(drain);
  }

  /** Counters for the report's {@code agent.otel}. Any thread. */
  public Map<String, Object> stats() {
    return pipeline.stats();
  }
}

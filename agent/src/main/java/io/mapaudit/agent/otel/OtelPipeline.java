package io.mapaudit.agent.otel;

import io.mapaudit.agent.AgentConsole;
import io.mapaudit.agent.audit.Aggregator;
import io.mapaudit.bootstrap.ReentrancyGuard;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SDK side of {@link OtelExport}: providers, exporters, readers and their threads. Loaded
 * only when something is exported, so that an agent without export never loads the SDK.
 *
 * <p>Nothing here runs on application threads except {@link AppTraceContext#capture}: spans and
 * metric points are made on the drainer thread, exports run on the SDK's batch thread and on
 * daemon agent threads of {@link ExportThreads}. An endpoint that is down, slow or failing costs
 * dropped telemetry (counted in {@link #stats()}) and one warning line, never a blocked or
 * delayed application.
 */
final class OtelPipeline {
  /*
   * Design notes.
   * - The SDK is built by hand, never by autoconfigure, and never registered as the global: the
   *   application's OTEL_* settings (a gRPC protocol, a sampler, exporters) must not reach it, and
   *   the application's GlobalOpenTelemetry stays its own (OtelExportIT checks both).
   * - OtlpHttp*Exporter is OTLP over HTTP with protobuf bodies (the SDK's default protocol
   *   elsewhere is gRPC). The sender is the JDK HttpClient one, found through ServiceLoader
   *   under its relocated name (the shade plugin relocates META-INF/services too).
   * - The JUL LogManager is never initialised: see PatchLogger.
   */
  static final String SCOPE = "mapaudit";
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SDK_DISTRO =
      AttributeKey.stringKey("telemetry.distro.name");

  private final OtelSettings settings;
  private final SdkTracerProvider tracerProvider;
  private final SdkMeterProvider meterProvider;
  private final ThreadPoolExecutor sender;
  private final ScheduledThreadPoolExecutor metricScheduler;
  private final ThreadPoolExecutor prometheusExecutor;
  final FindingSpans spans;
  final MapMetrics metrics;
  private final AtomicBoolean warned = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong spansExported = new AtomicLong();
  private final AtomicLong spansFailed = new AtomicLong();
  /** Counts frozen by {@link #shutdown}: what was not delivered by then is dropped. */
  private volatile long finalSpansDropped = -1;
  private volatile long finalMetricExportsFailed = -1;
  private final AtomicLong metricExports = new AtomicLong();
  private final AtomicLong metricExportsFailed = new AtomicLong();
  private final AtomicLong metricExportsPending = new AtomicLong();
  private volatile String prometheusAddress;

  OtelPipeline(OtelSettings settings, Aggregator aggregator, String version, int sampling) {
    this.settings = settings;
    Resource resource = resource(settings, version);
    SdkMeterProviderBuilder meters = SdkMeterProvider.builder().setResource(resource);
    if (settings.otlp()) {
      sender = ExportThreads.sender();
      metricScheduler = ExportThreads.scheduler("metrics");
      Duration timeout = Duration.ofMillis(settings.timeoutMillis);
      OtlpHttpSpanExporter spanExporter = OtlpHttpSpanExporter.builder()
          .setEndpoint(settings.tracesEndpoint)
          .setTimeout(timeout)
          .setConnectTimeout(Duration.ofMillis(Math.min(settings.timeoutMillis, 5_000L)))
          .setCompression("gzip")
          .setHeaders(() -> settings.tracesHeaders)
          .setExecutorService(sender)
          .setMeterProvider(MeterProvider::noop)
          .build();
      tracerProvider = SdkTracerProvider.builder()
          .setResource(resource)
          // Findings are rare and rate-limited: keep every one (an unsampled request is linked).
          .setSampler(Sampler.alwaysOn())
          .setSpanLimits(SpanLimits.builder().setMaxAttributeValueLength(16_384).build())
          .addSpanProcessor(BatchSpanProcessor.builder(new CountingSpanExporter(spanExporter))
              .setScheduleDelay(Duration.ofSeconds(1))
              .setExporterTimeout(timeout)
              .setMeterProvider(MeterProvider::noop)
              .build())
          .build();
      OtlpHttpMetricExporter metricExporter = OtlpHttpMetricExporter.builder()
          .setEndpoint(settings.metricsEndpoint)
          .setTimeout(timeout)
          .setConnectTimeout(Duration.ofMillis(Math.min(settings.timeoutMillis, 5_000L)))
          .setCompression("gzip")
          .setHeaders(() -> settings.metricsHeaders)
          .setExecutorService(sender)
          .setMeterProvider(MeterProvider::noop)
          .build();
      meters.registerMetricReader(PeriodicMetricReader
          .builder(new CountingMetricExporter(metricExporter))
          .setInterval(Duration.ofMillis(settings.metricIntervalMillis))
          .setExecutor(metricScheduler)
          .build());
    } else {
      sender = null;
      metricScheduler = null;
      tracerProvider = null;
    }
    ThreadPoolExecutor prometheus = null;
    if (settings.prometheusHost != null) {
      prometheus = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS,
          new java.util.concurrent.LinkedBlockingQueue<>(64), ExportThreads.factory("prometheus"));
      try {
        meters.registerMetricReader(PrometheusHttpServer.builder()
            .setHost(settings.prometheusHost)
            .setPort(settings.prometheusPort)
            .setExecutor(prometheus)
            // REUSABLE_DATA would make the server ignore our executor (agent threads).
            .setMemoryMode(MemoryMode.IMMUTABLE_DATA)
            .build());
        prometheusAddress = settings.prometheusHost + ":" + settings.prometheusPort;
      } catch (RuntimeException e) {
        prometheus.shutdownNow();
        prometheus = null;
        AgentConsole.line("Prometheus endpoint not started on " + settings.prometheusHost + ":"
            + settings.prometheusPort + ": " + rootMessage(e));
      }
    }
    prometheusExecutor = prometheus;
    meterProvider = meters.build();
    Meter meter = meterProvider.meterBuilder(SCOPE).setInstrumentationVersion(version).build();
    Tracer tracer = tracerProvider == null ? TracerProvider.noop().get(SCOPE)
        : tracerProvider.tracerBuilder(SCOPE).setInstrumentationVersion(version).build();
    spans = new FindingSpans(tracer, meter.counterBuilder("mapaudit.findings")
        .setUnit("{finding}")
        .setDescription("Finding occurrences by kind and severity (estimated from samples)")
        .build(), aggregator);
    metrics = new MapMetrics(meter, aggregator, sampling);
  }

  static Resource resource(OtelSettings settings, String version) {
    AttributesBuilder a = Attributes.builder();
    for (Map.Entry<String, String> e : settings.resourceAttributes.entrySet()) {
      a.put(e.getKey(), e.getValue());
    }
    a.put(SERVICE_NAME, settings.serviceName);
    a.put(SDK_DISTRO, "mapaudit");
    a.put(AttributeKey.stringKey("telemetry.distro.version"), version);
    return Resource.getDefault().merge(Resource.create(a.build()));
  }

  /**
   * Flushes what is buffered and stops every export thread and the Prometheus endpoint. Waits at
   * most {@code millis} (the work goes on in a daemon thread that cannot delay JVM exit);
   * telemetry not delivered by then is counted as dropped. Idempotent.
   */
  void shutdown(long millis) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Thread t = ExportThreads.factory("shutdown").newThread(() -> {
      List<CompletableResultCode> results = new ArrayList<>();
      if (tracerProvider != null) {
        results.add(tracerProvider.shutdown());
      }
      results.add(meterProvider.shutdown());
      CompletableResultCode.ofAll(results).join(millis, TimeUnit.MILLISECONDS);
    });
    t.start();
    try {
      t.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long lost = Math.max(0L, spans.spans - spansExported.get());
    long metricLost = metricExportsPending.get();
    finalSpansDropped = lost;
    finalMetricExportsFailed = metricExportsFailed.get() + metricLost;
    if (lost > spansFailed.get() || metricLost > 0) {
      warnOnce("OpenTelemetry export to " + settings.tracesEndpoint + " did not finish within "
          + millis + " ms at shutdown (endpoint down or slow); dropped " + lost + " spans and "
          + metricLost + " metric exports");
    }
    if (sender != null) {
      sender.shutdownNow();
      metricScheduler.shutdownNow();
    }
    if (prometheusExecutor != null) {
      prometheusExecutor.shutdownNow();
    }
  }

  /** Counters for the report's {@code agent.otel}. Any thread. */
  Map<String, Object> stats() {
    Map<String, Object> s = new LinkedHashMap<>();
    if (settings.otlp()) {
      s.put("traces", settings.tracesEndpoint);
      s.put("metrics", settings.metricsEndpoint);
      s.put("spans", spans.spans);
      s.put("spansExported", spansExported.get());
      long dropped = finalSpansDropped;
      long failed = finalMetricExportsFailed;
      s.put("spansDropped", dropped >= 0 ? dropped : spansFailed.get());
      s.put("metricExports", metricExports.get());
      s.put("metricExportsFailed", failed >= 0 ? failed : metricExportsFailed.get());
    }
    if (prometheusAddress != null) {
      s.put("prometheus", prometheusAddress);
    }
    s.put("serviceName", settings.serviceName);
    return s;
  }

  private void failed(String url, CompletableResultCode result) {
    warnOnce("OpenTelemetry export to " + url + " failed (" + reason(result.getFailureThrowable())
        + "); telemetry is dropped while it fails (counts: report agent.otel)");
  }

  private void warnOnce(String message) {
    AgentConsole.warnOnce(warned, message);
  }

  static String reason(Throwable t) {
    if (t == null) {
      return "unknown error";
    }
    try {
      // FailedExportException.HttpExportException (exporter-common, a runtime-only dependency).
      Object response = t.getClass().getMethod("getResponse").invoke(t);
      if (response instanceof HttpResponse) {
        return "HTTP " + ((HttpResponse) response).getStatusCode();
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Not an HTTP failure with a response.
    }
    return rootMessage(t);
  }

  static String rootMessage(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    String m = r.getMessage();
    return r.getClass().getSimpleName() + (m == null || m.isEmpty() ? "" : ": " + m);
  }

  /** Counts what the span exporter delivered and dropped; marks the batch thread as ours. */
  private final class CountingSpanExporter implements SpanExporter {
    private final SpanExporter delegate;

    CountingSpanExporter(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      // The SDK's batch thread (its own factory) calls here first: from now on its map
      // operations (marshalling) are never recorded.
      ReentrancyGuard.markAgentThread();
      int n = batch.size();
      CompletableResultCode r = delegate.export(batch);
      r.whenComplete(() -> {
        if (r.isSuccess()) {
          spansExported.addAndGet(n);
        } else {
          spansFailed.addAndGet(n);
          failed(settings.tracesEndpoint, r);
        }
      });
      return r;
    }

    @Override
    public CompletableResultCode flush() {
      ReentrancyGuard.markAgentThread();
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      ReentrancyGuard.markAgentThread();
      return delegate.shutdown();
    }
  }

  /** Counts metric exports delivered and failed. */
  private final class CountingMetricExporter implements MetricExporter {
    private final MetricExporter delegate;

    CountingMetricExporter(MetricExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> batch) {
      ReentrancyGuard.markAgentThread();
      metricExportsPending.incrementAndGet();
      CompletableResultCode r = delegate.export(batch);
      r.whenComplete(() -> {
        metricExportsPending.decrementAndGet();
        if (r.isSuccess()) {
          metricExports.incrementAndGet();
        } else {
          metricExportsFailed.incrementAndGet();
          failed(settings.metricsEndpoint, r);
        }
      });
      return r;
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return delegate.getAggregationTemporality(type);
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType type) {
      return delegate.getDefaultAggregation(type);
    }

    @Override
    public MemoryMode getMemoryMode() {
      return delegate.getMemoryMode();
    }
  }
}

package io.mapaudit.agent.otel;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An in-memory SDK for unit tests: ended spans in a list, metrics collected on demand. */
final class TestTelemetry implements SpanExporter, MetricReader {
  final List<SpanData> spans = new ArrayList<>();
  final SdkTracerProvider tracers = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
      .addSpanProcessor(SimpleSpanProcessor.create(this)).build();
  final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(this).build();
  private CollectionRegistration registration;

  Map<String, MetricData> collect() {
    return registration.collectAllMetrics().stream()
        .collect(Collectors.toMap(MetricData::getName, Function.identity()));
  }

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> batch) {
    spans.addAll(batch);
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType type) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public void close() {}
}

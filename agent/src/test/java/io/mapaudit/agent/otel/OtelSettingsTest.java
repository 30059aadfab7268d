package io.mapaudit.agent.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mapaudit.agent.config.AgentOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

final class OtelSettingsTest {
  private final Map<String, String> env = new HashMap<>();
  private final Properties sys = new Properties();

  private OtelSettings resolve(String options) throws Exception {
    return OtelSettings.resolve(AgentOptions.parse(options), env, sys);
  }

  @Test
  void auto_noEndpointAnywhere_exportsNothing() throws Exception {
    OtelSettings s = resolve("");
    assertThat(s.otlp()).isFalse();
    assertThat(s.any()).isFalse();
  }

  @Test
  void on_noEndpoint_usesLocalCollectorDefault() throws Exception {
    OtelSettings s = resolve("otel=on");
    assertThat(s.tracesEndpoint).isEqualTo("http://localhost:4318/v1/traces");
    assertThat(s.metricsEndpoint).isEqualTo("http://localhost:4318/v1/metrics");
    assertThat(s.serviceName).isEqualTo("mapaudit");
  }

  @Test
  void off_endpointConfigured_exportsNothing() throws Exception {
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
    assertThat(resolve("otel=off,otel.endpoint=http://x:4318").otlp()).isFalse();
  }

  @Test
  void auto_environmentEndpoint_appendsSignalPaths() throws Exception {
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/");
    OtelSettings s = resolve("");
    assertThat(s.tracesEndpoint).isEqualTo("http://collector:4318/v1/traces");
    assertThat(s.metricsEndpoint).isEqualTo("http://collector:4318/v1/metrics");
  }

  @Test
  void auto_systemPropertyAndEnvironment_propertyWins() throws Exception {
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://from-env:4318");
    sys.setProperty("otel.exporter.otlp.endpoint", "http://from-property:4318");
    assertThat(resolve("").tracesEndpoint).isEqualTo("http://from-property:4318/v1/traces");
  }

  @Test
  void auto_signalEndpoint_usedAsGiven() throws Exception {
    env.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://vendor.example/otlp/spans");
    OtelSettings s = resolve("");
    assertThat(s.tracesEndpoint).isEqualTo("https://vendor.example/otlp/spans");
    assertThat(s.metricsEndpoint).isEqualTo("http://localhost:4318/v1/metrics");
  }

  @Test
  void option_beatsEnvironment() throws Exception {
    env.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://env:4318/v1/traces");
    OtelSettings s = resolve("otel.endpoint=http://mine:4318");
    assertThat(s.tracesEndpoint).isEqualTo("http://mine:4318/v1/traces");
    assertThat(s.endpointSource).isEqualTo("otel.endpoint");
  }

  @Test
  void applicationUsesGrpcOn4317_weUseHttpOn4318() throws Exception {
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317");
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
    assertThat(resolve("").tracesEndpoint).isEqualTo("http://collector:4318/v1/traces");
  }

  @Test
  void applicationUsesGrpcElsewhere_endpointKept() throws Exception {
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:9999");
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
    assertThat(resolve("").tracesEndpoint).isEqualTo("http://collector:9999/v1/traces");
  }

  @Test
  void headers_generalAndPerSignal_merged() throws Exception {
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318");
    env.put("OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%20b,tenant=t1");
    env.put("OTEL_EXPORTER_OTLP_METRICS_HEADERS", "tenant=t2");
    OtelSettings s = resolve("");
    assertThat(s.tracesHeaders).containsEntry("api-key", "a b").containsEntry("tenant", "t1");
    assertThat(s.metricsHeaders).containsEntry("tenant", "t2");
  }

  @Test
  void serviceName_optionThenStandardThenResourceThenDefault() throws Exception {
    env.put("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-resource,team=pay");
    assertThat(resolve("").serviceName).isEqualTo("from-resource");
    env.put("OTEL_SERVICE_NAME", "from-env");
    assertThat(resolve("").serviceName).isEqualTo("from-env");
    assertThat(resolve("otel.serviceName=mine").serviceName).isEqualTo("mine");
    OtelSettings s = resolve("");
    assertThat(s.resourceAttributes).containsEntry("team", "pay").doesNotContainKey("service.name");
  }

  @Test
  void prometheus_hostPortOrPortOnly_loopbackByDefault() throws Exception {
    OtelSettings s = resolve("prometheus=9464");
    assertThat(s.any()).isTrue();
    assertThat(s.otlp()).isFalse();
    assertThat(s.prometheusHost).isEqualTo("127.0.0.1");
    assertThat(s.prometheusPort).isEqualTo(9464);
    assertThat(resolve("prometheus=0.0.0.0:9000").prometheusHost).isEqualTo("0.0.0.0");
    assertThat(resolve("prometheus=[::1]:9000").prometheusHost).isEqualTo("::1");
    assertThatThrownBy(() -> resolve("prometheus=localhost:70000"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void metricInterval_fromSystemProperty() throws Exception {
    assertThat(resolve("").metricIntervalMillis).isEqualTo(10_000L);
    sys.setProperty(OtelSettings.METRIC_INTERVAL_PROPERTY, "250");
    assertThat(resolve("").metricIntervalMillis).isEqualTo(250L);
    sys.setProperty(OtelSettings.METRIC_INTERVAL_PROPERTY, "soon");
    assertThatThrownBy(() -> resolve("")).hasMessageContaining(
        OtelSettings.METRIC_INTERVAL_PROPERTY);
  }

  @Test
  void badBorrowedEndpoint_throwsNamingIt() {
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318");
    assertThatThrownBy(() -> resolve("")).hasMessageContaining("collector:4318");
  }

  @Test
  void badResourceAttributes_throwsNamingTheVariable() {
    env.put("OTEL_RESOURCE_ATTRIBUTES", "team");
    assertThatThrownBy(() -> resolve("")).hasMessageContaining("OTEL_RESOURCE_ATTRIBUTES");
  }
}

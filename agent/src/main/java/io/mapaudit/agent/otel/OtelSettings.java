package io.mapaudit.agent.otel;

import io.mapaudit.agent.config.AgentOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where and how the agent exports, resolved once per session from the agent options and, as
 * fallbacks, the standard OpenTelemetry settings of the process: the {@code OTEL_*} environment
 * variables or their {@code -Dotel.*} system-property form (the property wins, as in the SDK's
 * autoconfiguration).
 *
 * <p>Only the settings that say <em>where</em> to send and <em>who</em> is sending are borrowed:
 * endpoint, headers, service name and resource attributes. The protocol is always
 * http/protobuf, whatever {@code OTEL_EXPORTER_OTLP_PROTOCOL} says, so an application configured
 * for gRPC cannot break the agent's export. Immutable.
 */
public final class OtelSettings {
  /** System property: metric export interval in milliseconds (default 10 s). */
  public static final String METRIC_INTERVAL_PROPERTY = "mapaudit.otel.metricIntervalMillis";
  /** System property: OTLP request timeout in milliseconds (default 10 s). */
  public static final String TIMEOUT_PROPERTY = "mapaudit.otel.timeoutMillis";
  static final String DEFAULT_ENDPOINT = "http://localhost:4318";
  static final String DEFAULT_SERVICE = "mapaudit";

  /** Where the OTLP endpoint came from, for messages. */
  final String endpointSource;
  /** {@code .../v1/traces}, or null when OTLP export is off. */
  final String tracesEndpoint;
  /** {@code .../v1/metrics}, or null when OTLP export is off. */
  final String metricsEndpoint;
  final Map<String, String> tracesHeaders;
  final Map<String, String> metricsHeaders;
  final String serviceName;
  final Map<String, String> resourceAttributes;
  /** Host of the Prometheus endpoint, or null when there is none. */
  final String prometheusHost;
  final int prometheusPort;
  final long metricIntervalMillis;
  final long timeoutMillis;

  private OtelSettings(Builder b) {
    this.endpointSource = b.endpointSource;
    this.tracesEndpoint = b.tracesEndpoint;
    this.metricsEndpoint = b.metricsEndpoint;
    this.tracesHeaders = Collections.unmodifiableMap(b.tracesHeaders);
    this.metricsHeaders = Collections.unmodifiableMap(b.metricsHeaders);
    this.serviceName = b.serviceName;
    this.resourceAttributes = Collections.unmodifiableMap(b.resourceAttributes);
    this.prometheusHost = b.prometheusHost;
    this.prometheusPort = b.prometheusPort;
    this.metricIntervalMillis = b.metricIntervalMillis;
    this.timeoutMillis = b.timeoutMillis;
  }

  private static final class Builder {
    String endpointSource;
    String tracesEndpoint;
    String metricsEndpoint;
    Map<String, String> tracesHeaders = new LinkedHashMap<>();
    Map<String, String> metricsHeaders = new LinkedHashMap<>();
    String serviceName;
    Map<String, String> resourceAttributes = new LinkedHashMap<>();
    String prometheusHost;
    int prometheusPort;
    long metricIntervalMillis;
    long timeoutMillis;
  }

  /** From the process's real environment and system properties. */
  public static OtelSettings resolve(AgentOptions options) {
    return resolve(options, System.getenv(), System.getProperties());
  }

  /**
   * Resolves the settings. {@code otel=off} turns OTLP export off, {@code on} turns it on (to
   * {@value #DEFAULT_ENDPOINT} when nothing else names an endpoint), {@code auto} (the default)
   * exports only when an endpoint is configured: the {@code otel.endpoint} option, or
   * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} / {@code OTEL_EXPORTER_OTLP_ENDPOINT}.
   *
   * @throws IllegalArgumentException for a malformed borrowed setting, with a message naming it
   */
  static OtelSettings resolve(AgentOptions options, Map<String, String> env, Properties sys) {
    Builder b = new Builder();
    String mode = options.otel();
    String own = options.get("otel.endpoint");
    String base = setting("otel.exporter.otlp.endpoint", env, sys);
    String traces = setting("otel.exporter.otlp.traces.endpoint", env, sys);
    String metrics = setting("otel.exporter.otlp.metrics.endpoint", env, sys);
    boolean configured = own != null || base != null || traces != null || metrics != null;
    if (mode.equals("on") || (mode.equals("auto") && configured)) {
      if (own != null) {
        b.endpointSource = "otel.endpoint";
        b.tracesEndpoint = signal(own, "traces");
        b.metricsEndpoint = signal(own, "metrics");
      } else {
        String protocol = setting("otel.exporter.otlp.protocol", env, sys);
        String fallback = base == null ? DEFAULT_ENDPOINT : grpcToHttp(base, protocol);
        b.endpointSource = base == null && traces == null && metrics == null ? "default"
            : "OTEL_EXPORTER_OTLP_*ENDPOINT";
        // Signal-specific endpoints are used as given (OTLP exporter specification).
        b.tracesEndpoint = traces != null ? grpcToHttp(traces,
            first(setting("otel.exporter.otlp.traces.protocol", env, sys), protocol))
            : signal(fallback, "traces");
        b.metricsEndpoint = metrics != null ? grpcToHttp(metrics,
            first(setting("otel.exporter.otlp.metrics.protocol", env, sys), protocol))
            : signal(fallback, "metrics");
      }
      checkUrl(b.tracesEndpoint);
      checkUrl(b.metricsEndpoint);
      Map<String, String> headers = pairs(setting("otel.exporter.otlp.headers", env, sys),
          "OTEL_EXPORTER_OTLP_HEADERS");
      b.tracesHeaders.putAll(headers);
      b.tracesHeaders.putAll(pairs(setting("otel.exporter.otlp.traces.headers", env, sys),
          "OTEL_EXPORTER_OTLP_TRACES_HEADERS"));
      b.metricsHeaders.putAll(headers);
      b.metricsHeaders.putAll(pairs(setting("otel.exporter.otlp.metrics.headers", env, sys),
          "OTEL_EXPORTER_OTLP_METRICS_HEADERS"));
    }
    b.resourceAttributes.putAll(pairs(setting("otel.resource.attributes", env, sys),
        "OTEL_RESOURCE_ATTRIBUTES"));
    String service = options.get("otel.serviceName");
    if (service == null || service.isEmpty()) {
      service = setting("otel.service.name", env, sys);
    }
    if (service == null || service.isEmpty()) {
      service = b.resourceAttributes.get("service.name");
    }
    b.serviceName = service == null || service.isEmpty() ? DEFAULT_SERVICE : service;
    b.resourceAttributes.remove("service.name");
    String prometheus = options.get("prometheus");
    if (prometheus != null) {
      int colon = prometheus.lastIndexOf(':');
      String host = colon <= 0 ? "127.0.0.1" : prometheus.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      b.prometheusHost = host;
      b.prometheusPort = Integer.parseInt(prometheus.substring(colon + 1));
      if (b.prometheusPort > 65535) {
        throw new IllegalArgumentException("prometheus port must be at most 65535, got "
            + b.prometheusPort);
      }
    }
    b.metricIntervalMillis = millis(sys, METRIC_INTERVAL_PROPERTY, 10_000L);
    b.timeoutMillis = millis(sys, TIMEOUT_PROPERTY, 10_000L);
    return new OtelSettings(b);
  }

  /** True when spans and metrics go to an OTLP endpoint. */
  boolean otlp() {
    return tracesEndpoint != null;
  }

  /** True when anything at all is exported (OTLP or the Prometheus endpoint). */
  boolean any() {
    return otlp() || prometheusHost != null;
  }

  /** An {@code otel.*} setting: the system property, else the {@code OTEL_*} variable. */
  static String setting(String property, Map<String, String> env, Properties sys) {
    String v = sys.getProperty(property);
    if (v == null || v.trim().isEmpty()) {
      v = env.get(property.toUpperCase(Locale.ROOT).replace('.', '_'));
    }
    return v == null || v.trim().isEmpty() ? null : v.trim();
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }

  /** {@code base/v1/<signal>}, as the OTLP/HTTP exporter specification appends it. */
  static String signal(String base, String signal) {
    return (base.endsWith("/") ? base : base + "/") + "v1/" + signal;
  }

  /*
   * An application configured for OTLP/gRPC points OTEL_EXPORTER_OTLP_ENDPOINT at port 4317; we
   * speak http/protobuf, which a Collector or Jaeger serves on 4318. Following that convention
   * beats failing every export; other ports are used as given (the failure warning says so).
   */
  static String grpcToHttp(String endpoint, String protocol) {
    if (protocol == null || !protocol.trim().equalsIgnoreCase("grpc")) {
      return endpoint;
    }
    try {
      URI u = URI.create(endpoint);
      if (u.getPort() == 4317) {
        return new URI(u.getScheme(), u.getUserInfo(), u.getHost(), 4318, u.getPath(),
            u.getQuery(), u.getFragment()).toString();
      }
    } catch (Exception e) {
      // checkUrl reports it.
    }
    return endpoint;
  }

  private static void checkUrl(String url) {
    try {
      URI u = URI.create(url);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
        throw new IllegalArgumentException("OTLP endpoint must be an http(s) URL, got '" + url
            + "'");
      }
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("OTLP endpoint")) {
        throw e;
      }
      throw new IllegalArgumentException("OTLP endpoint is not a URL: '" + url + "'");
    }
  }

  /** {@code k1=v1,k2=v2} with percent-encoded values (W3C baggage style, as the spec says). */
  static Map<String, String> pairs(String text, String what) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null) {
      return out;
    }
    for (String pair : text.split(",")) {
      if (pair.trim().isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(what + " must be key=value pairs, got '" + pair.trim()
            + "'");
      }
      String k = pair.substring(0, eq).trim();
      String v = pair.substring(eq + 1).trim();
      try {
        v = URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8.name());
      } catch (Exception e) {
        throw new IllegalArgumentException(what + " has a badly encoded value for '" + k + "'");
      }
      out.put(k, v);
    }
    return out;
  }

  private static long millis(Properties sys, String key, long dflt) {
    String v = sys.getProperty(key);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Fall through.
    }
    throw new IllegalArgumentException(key + " must be a positive number of milliseconds, got '"
        + v + "'");
  }

  /** One line for {@code debug=true} and the report. */
  @Override
  public String toString() {
    return (otlp() ? "OTLP http/protobuf to " + tracesEndpoint + " and " + metricsEndpoint
        + " (from " + endpointSource + ")" : "no OTLP export")
        + (prometheusHost != null ? ", Prometheus on " + prometheusHost + ":" + prometheusPort
            : "") + ", service.name=" + serviceName;
  }
}

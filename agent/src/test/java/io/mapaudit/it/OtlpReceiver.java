package io.mapaudit.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A loopback OTLP/HTTP receiver for tests: {@code POST /v1/traces}, {@code /v1/metrics} (and
 * {@code /v1/logs}, ignored) on 127.0.0.1, decoded with the official opentelemetry-proto classes.
 * It can answer 500 or answer late, to play a failing or slow Collector.
 */
final class OtlpReceiver implements AutoCloseable {
  /** One received span with what is needed to assert on it. */
  static final class ReceivedSpan {
    final Map<String, Object> resource;
    final String scope;
    final Span span;

    ReceivedSpan(Map<String, Object> resource, String scope, Span span) {
      this.resource = resource;
      this.scope = scope;
      this.span = span;
    }

    String name() {
      return span.getName();
    }

    String traceId() {
      return hex(span.getTraceId().toByteArray());
    }

    String spanId() {
      return hex(span.getSpanId().toByteArray());
    }

    String parentSpanId() {
      return hex(span.getParentSpanId().toByteArray());
    }

    Map<String, Object> attributes() {
      return values(span.getAttributesList());
    }

    @Override
    public String toString() {
      return scope + ":" + name() + "(" + span.getKind() + ") trace=" + traceId() + " span="
          + spanId() + " parent=" + parentSpanId() + " " + attributes() + " resource=" + resource;
    }
  }

  /** One received metric with its resource and scope. */
  static final class ReceivedMetric {
    final Map<String, Object> resource;
    final String scope;
    final Metric metric;

    ReceivedMetric(Map<String, Object> resource, String scope, Metric metric) {
      this.resource = resource;
      this.scope = scope;
      this.metric = metric;
    }

    @Override
    public String toString() {
      return scope + ":" + metric.getName() + " [" + metric.getUnit() + "] " + metric.getDataCase();
    }
  }

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final List<ReceivedMetric> metrics = new ArrayList<>();
  private final List<Map<String, List<String>>> requestHeaders = new ArrayList<>();
  private volatile int status = 200;
  private volatile long delayMillis;
  private int requests;

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "otlp-receiver");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  /** Answers every request with {@code code} (and no body decoding when not 200). */
  OtlpReceiver status(int code) {
    this.status = code;
    return this;
  }

  /** Answers every request only after {@code millis}. */
  OtlpReceiver delay(long millis) {
    this.delayMillis = millis;
    return this;
  }

  /** {@code http://127.0.0.1:port} */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A loopback port nothing listens on (bound, then released). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      byte[] body;
      try (InputStream in = "gzip".equalsIgnoreCase(ex.getRequestHeaders()
          .getFirst("Content-Encoding")) ? new GZIPInputStream(ex.getRequestBody())
          : ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      synchronized (this) {
        requests++;
        Map<String, List<String>> h = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v));
        h.put(":path", List.of(ex.getRequestURI().getPath()));
        requestHeaders.add(h);
        notifyAll();
      }
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      if (status != 200) {
        ex.sendResponseHeaders(status, -1);
        return;
      }
      String path = ex.getRequestURI().getPath();
      byte[] answer = new byte[0];
      if (path.equals("/v1/traces")) {
        ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(body);
        synchronized (this) {
          for (ResourceSpans rs : req.getResourceSpansList()) {
            Map<String, Object> res = resource(rs.getResource());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
              for (Span s : ss.getSpansList()) {
                spans.add(new ReceivedSpan(res, ss.getScope().getName(), s));
              }
            }
          }
          notifyAll();
        }
        answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      } else if (path.equals("/v1/metrics")) {
        ExportMetricsServiceRequest req = ExportMetricsServiceRequest.parseFrom(body);
        synchronized (this) {
          for (ResourceMetrics rm : req.getResourceMetricsList()) {
            Map<String, Object> res = resource(rm.getResource());
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
              for (Metric m : sm.getMetricsList()) {
                metrics.add(new ReceivedMetric(res, sm.getScope().getName(), m));
              }
            }
          }
          notifyAll();
        }
        answer = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
      }
      ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      ex.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        ex.getResponseBody().write(answer);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ex.close();
    }
  }

  synchronized List<ReceivedSpan> spans() {
    return new ArrayList<>(spans);
  }

  synchronized List<ReceivedMetric> metrics() {
    return new ArrayList<>(metrics);
  }

  synchronized int requests() {
    return requests;
  }

  /** Headers of every request received, with {@code :path}. */
  synchronized List<Map<String, List<String>>> requestHeaders() {
    return new ArrayList<>(requestHeaders);
  }

  /** Waits at most {@code millis} for a span matching {@code p}; returns the matches. */
  synchronized List<ReceivedSpan> awaitSpans(Predicate<ReceivedSpan> p, long millis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (true) {
      List<ReceivedSpan> found = spans.stream().filter(p).collect(Collectors.toList());
      long left = deadline - System.currentTimeMillis();
      if (!found.isEmpty() || left <= 0) {
        return found;
      }
      wait(left);
    }
  }

  /** Waits at most {@code millis} for a metric matching {@code p}; returns the matches. */
  synchronized List<ReceivedMetric> awaitMetrics(Predicate<ReceivedMetric> p, long millis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (true) {
      List<ReceivedMetric> found = metrics.stream().filter(p).collect(Collectors.toList());
      long left = deadline - System.currentTimeMillis();
      if (!found.isEmpty() || left <= 0) {
        return found;
      }
      wait(left);
    }
  }

  /** Waits at most {@code millis} for at least {@code n} requests. */
  synchronized int awaitRequests(int n, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (requests < n) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        break;
      }
      wait(left);
    }
    return requests;
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  static Map<String, Object> resource(Resource r) {
    return values(r.getAttributesList());
  }

  static Map<String, Object> values(List<KeyValue> kvs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), value(kv.getValue()));
    }
    return out;
  }

  static Object value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case INT_VALUE:
        return v.getIntValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case ARRAY_VALUE:
        return v.getArrayValue().getValuesList().stream().map(OtlpReceiver::value)
            .collect(Collectors.toList());
      default:
        return v.toString();
    }
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }

  /** Data point attribute maps of a sum or histogram metric. */
  static List<Map<String, Object>> pointAttributes(Metric m) {
    List<Map<String, Object>> out = new ArrayList<>();
    switch (m.getDataCase()) {
      case SUM:
        m.getSum().getDataPointsList().forEach(p -> {
          Map<String, Object> a = values(p.getAttributesList());
          a.put("$value", p.getAsInt());
          out.add(a);
        });
        break;
      case HISTOGRAM:
        m.getHistogram().getDataPointsList().forEach(p -> {
          Map<String, Object> a = values(p.getAttributesList());
          a.put("$count", p.getCount());
          a.put("$bounds", p.getExplicitBoundsList());
          out.add(a);
        });
        break;
      case GAUGE:
        m.getGauge().getDataPointsList().forEach(p -> {
          Map<String, Object> a = values(p.getAttributesList());
          a.put("$value", p.getAsDouble());
          out.add(a);
        });
        break;
      default:
        break;
    }
    return out;
  }
}

package io.mapaudit.demo;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP front of the {@link DemoService}, on 127.0.0.1 only. Each request runs in a SERVER span
 * made current around the incident code, so a map finding can be parented under the request.
 */
final class DemoServer implements AutoCloseable {

  /** A handler's answer. */
  private record Response(int status, String contentType, String body) {
    static Response json(int status, String body) {
      return new Response(status, "application/json", body);
    }
  }

  @FunctionalInterface
  private interface Endpoint {
    Response handle(HttpExchange exchange) throws Exception;
  }

  private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Headers headers) {
      return headers.keySet();
    }

    @Override
    public String get(Headers headers, String key) {
      return headers == null ? null : headers.getFirst(key);
    }
  };

  /** Threads of the request pool: several, so that the unsynchronized maps see concurrent writers. */
  static final int REQUEST_THREADS = 4;

  private final DemoService service;
  private final HttpServer server;
  private final ExecutorService requestPool;

  private DemoServer(DemoService service, HttpServer server, ExecutorService requestPool) {
    this.service = service;
    this.server = server;
    this.requestPool = requestPool;
  }

  /** Starts serving on 127.0.0.1:{@code port} (0 = ephemeral). */
  static DemoServer start(DemoService service, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(REQUEST_THREADS, r -> {
      Thread t = new Thread(r, "demo-http-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    DemoServer demo = new DemoServer(service, server, pool);
    demo.route(Incident.SETTLEMENT, demo::settle);
    demo.route(Incident.ROUTING, demo::routeOrder);
    demo.route(Incident.IDEMPOTENCY, demo::pay);
    demo.route(Incident.REFRESH, exchange -> refreshed(service.refreshConfig()));
    demo.route(Incident.METRICS,
        exchange -> new Response(200, "text/plain; version=0.0.4", service.metrics.scrape()));
    demo.route(Incident.HOTKEY, demo::product);
    server.createContext("/stats", exchange -> demo.serve(exchange, "/stats", null,
        e -> Response.json(200, service.statsJson())));
    server.start();
    return demo;
  }

  int port() {
    return server.getAddress().getPort();
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  private void route(Incident incident, Endpoint endpoint) {
    server.createContext(incident.path(), exchange -> serve(exchange, incident.path(), incident, endpoint));
  }

  private Response settle(HttpExchange exchange) {
    String product = param(exchange, "product");
    if (product == null) {
      return missing("product");
    }
    try {
      SettlementService.Outcome outcome = service.settlement.settle(product, 100.0);
      return Response.json(200, "{\"product\":" + quote(product) + ",\"outcome\":\"" + outcome + "\"}");
    } catch (SettlementService.UnknownProductException e) {
      return Response.json(404, "{\"error\":" + quote(e.getMessage()) + "}");
    }
  }

  private Response routeOrder(HttpExchange exchange) {
    String order = param(exchange, "order");
    String state = param(exchange, "state");
    if (order == null || state == null) {
      return missing("order and state");
    }
    service.router.route(order, state);
    return Response.json(200, "{\"order\":" + quote(order) + ",\"state\":" + quote(state) + "}");
  }

  private Response pay(HttpExchange exchange) {
    String order = param(exchange, "order");
    if (order == null) {
      return missing("order");
    }
    String merchant = param(exchange, "merchant");
    boolean charged = service.payments.pay(order, merchant == null ? "merchant-0" : merchant);
    return Response.json(200, "{\"order\":" + quote(order) + ",\"charged\":" + charged + "}");
  }

  private static Response refreshed(ConfigRefresher.Result result) {
    return Response.json(200, "{\"removed\":" + result.removed() + ",\"concurrentModificationException\":"
        + result.threwCme() + ",\"staleLeft\":" + result.staleLeft() + "}");
  }

  private Response product(HttpExchange exchange) {
    String id = param(exchange, "id");
    if (id == null) {
      return missing("id");
    }
    ProductCatalog.Product product = service.catalog.lookup(id);
    if (product == null) {
      return Response.json(404, "{\"error\":" + quote("no product " + id) + "}");
    }
    return Response.json(200, "{\"id\":" + quote(product.id()) + ",\"name\":" + quote(product.name())
        + ",\"priceCents\":" + product.priceCents() + "}");
  }

  @SuppressWarnings("try") // the scope is only closed, never read: the OpenTelemetry idiom
  private void serve(HttpExchange exchange, String path, Incident incident, Endpoint endpoint)
      throws IOException {
    Context parent = Span.current().getSpanContext().isValid()
        ? Context.current() // e.g. the official OpenTelemetry agent's own server span
        : GlobalOpenTelemetry.getPropagators().getTextMapPropagator()
            .extract(Context.current(), exchange.getRequestHeaders(), HEADERS);
    String method = exchange.getRequestMethod();
    Span span = service.tracer.spanBuilder(method + " " + path)
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute("http.request.method", method)
        .setAttribute("http.route", path)
        .setAttribute("url.path", exchange.getRequestURI().getPath())
        .startSpan();
    Response response;
    try (Scope scope = span.makeCurrent()) {
      if (!"GET".equals(method)) {
        response = Response.json(405, "{\"error\":\"only GET is supported\"}");
      } else if (incident != null && !service.runs(incident)) {
        response = Response.json(404,
            "{\"error\":\"incident " + incident.cliName() + " is switched off (--only/--skip)\"}");
      } else {
        response = endpoint.handle(exchange);
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      span.recordException(e);
      response = Response.json(500, "{\"error\":" + quote(String.valueOf(e)) + "}");
    }
    span.setAttribute("http.response.status_code", response.status());
    if (response.status() >= 500) {
      span.setStatus(StatusCode.ERROR);
    }
    try {
      byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.sendResponseHeaders(response.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      span.end();
      exchange.close();
    }
  }

  private static Response missing(String what) {
    return Response.json(400, "{\"error\":\"missing query parameter: " + what + "\"}");
  }

  /** The decoded value of query parameter {@code name}, or null; scans the raw query (no map). */
  static String param(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** {@code s} as a JSON string literal. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  @Override
  public void close() {
    server.stop(0);
    requestPool.shutdownNow();
  }
}

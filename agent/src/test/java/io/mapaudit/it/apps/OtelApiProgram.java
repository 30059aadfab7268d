package io.mapaudit.it.apps;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.LogManager;

/**
 * An application using the OpenTelemetry API and SDK itself: inside its own span it reads a
 * missing balance as 0.0. With a port argument it also scrapes the agent's Prometheus endpoint
 * and prints the mapaudit lines.
 */
public final class OtelApiProgram {
  /** Stands for an application server's LogManager, installed in main as they do. */
  public static final class ServerLogManager extends LogManager {
    public ServerLogManager() {}
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("java.util.logging.manager", ServerLogManager.class.getName());
    boolean ownLogManager = LogManager.getLogManager() instanceof ServerLogManager;
    // Throws if anyone (the agent) registered a global OpenTelemetry before the application.
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().build())
        .buildAndRegisterGlobal();
    Tracer tracer = GlobalOpenTelemetry.getTracer("shop");
    // Warm up: the first span loads the context classes, whose class loading misses would use
    // the request thread's budget of site captures (sampling=1).
    tracer.spanBuilder("warm-up").startSpan().makeCurrent().close();
    // A request on its own thread (the SDK's start-up above used this thread's budget of site
    // captures, as a server's start-up would).
    String[] out = new String[1];
    double[] result = new double[2];
    Thread request = new Thread(() -> {
      Map<String, Double> balances = new HashMap<>();
      balances.put("alice", 12.5);
      Span span = tracer.spanBuilder("settle").startSpan();
      int line;
      try (Scope ignored = span.makeCurrent()) {
        for (int i = 0; i < 5; i++) {
          result[0] += balances.get("alice");
        }
        result[1] = balances.getOrDefault("bob", 0.0); line = new Throwable().getStackTrace()[0].getLineNumber();
      } finally {
        span.end();
      }
      out[0] = "app-span trace=" + span.getSpanContext().getTraceId() + " span="
          + span.getSpanContext().getSpanId() + " thread=" + Thread.currentThread().getId()
          + " line=" + line;
    }, "settle-worker");
    request.start();
    request.join();
    System.out.println(out[0]);
    double total = result[0];
    double bob = result[1];
    System.out.println("own-log-manager=" + ownLogManager + " global-is-app-sdk="
        + (GlobalOpenTelemetry.get().getTracerProvider() == sdk.getTracerProvider()) + " total=" + total + " bob=" + bob);
    if (args.length > 0) {
      URLConnection c = new URL("http://127.0.0.1:" + args[0] + "/metrics").openConnection();
      c.setConnectTimeout(10_000);
      c.setReadTimeout(10_000);
      try (InputStream in = c.getInputStream()) {
        for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (l.startsWith("mapaudit_")) {
            System.out.println("prometheus " + l);
          }
        }
      }
    }
    sdk.close();
  }
}

package io.mapaudit.it.apps;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK-only service (no OpenTelemetry API): an HTTP handler asks a worker thread for a balance,
 * which reads a missing balance as 0.0; main calls the handler once. Under the official
 * OpenTelemetry agent the handler runs inside its server span, which its executor
 * instrumentation carries to the worker. With the argument {@code wait} the program waits for a
 * line on stdin before exiting.
 */
public final class HttpMissProgram {
  static final Map<String, Double> BALANCES = new HashMap<>();

  public static void main(String[] args) throws Exception {
    BALANCES.put("alice", 12.5);
    // A warmed-up worker: class loading on the handler thread spends its budget of site
    // captures (sampling=1), the worker keeps it for the request.
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "balance-worker");
      t.setDaemon(true);
      return t;
    });
    worker.submit(() -> BALANCES.get("alice")).get();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/balance", ex -> {
      double b;
      try {
        b = worker.submit(() -> BALANCES.getOrDefault("bob", 0.0)).get();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      byte[] body = ("balance=" + b).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    });
    server.start();
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.getAddress().getPort() + "/balance")).build(), HttpResponse.BodyHandlers.ofString());
    System.out.println(r.body());
    if (args.length > 0 && args[0].equals("wait")) {
      System.out.println("waiting");
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    server.stop(0);
    worker.shutdown();
    System.out.println("done at " + System.currentTimeMillis());
  }
}

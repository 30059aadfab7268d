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

/**
 * A JDK-only service (no OpenTelemetry API): an HTTP handler reads a missing balance as 0.0, and
 * main calls it once. Under the official OpenTelemetry agent the handler runs inside its server
 * span. With the argument {@code wait} it waits for a line on stdin before exiting.
 */
public final class HttpMissProgram {
  static final Map<String, Double> BALANCES = new HashMap<>();

  public static void main(String[] args) throws Exception {
    BALANCES.put("alice", 12.5);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/balance", ex -> {
      double b = BALANCES.getOrDefault("bob", 0.0);
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
    System.out.println("done at " + System.currentTimeMillis());
  }
}

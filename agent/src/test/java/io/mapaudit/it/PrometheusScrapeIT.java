package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mapaudit.it.apps.HttpMissProgram;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Debian's Prometheus scrapes the agent's endpoint on loopback and answers a PromQL query with
 * mapaudit metrics. Runs in the {@code prometheus} Maven profile only (.ci/run installs the
 * package): {@code mvn -Pprometheus -pl bootstrap,agent verify -Dit.test=PrometheusScrapeIT}.
 */
final class PrometheusScrapeIT {
  private static final Path WORK = Paths.get("target", "it-work", "prometheus").toAbsolutePath();
  private static final String PROMETHEUS = System.getProperty("mapaudit.prometheus.bin",
      "prometheus");

  @Test
  void debianPrometheus_scrapesAgentEndpoint_promqlReturnsMapauditMetrics() throws Exception {
    Path dir = WORK.resolve("scrape");
    Files.createDirectories(dir);
    int agentPort = OtelExportIT.freePort();
    int promPort = OtelExportIT.freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        + "scrape_configs:\n  - job_name: mapaudit\n    static_configs:\n"
        + "      - targets: ['127.0.0.1:" + agentPort + "']\n");
    try (ForkedJvm app = ForkedJvm.start(dir, List.of(ForkedJvm.javaagent(
        "sampling=1,include=io.mapaudit.it.apps,summary=false,reportDir=" + dir
            + ",prometheus=127.0.0.1:" + agentPort)),
        System.getProperty("mapaudit.test.classes", "target/test-classes"), Map.of(),
        HttpMissProgram.class.getName(), "wait")) {
      app.expectLine("waiting", 120);
      Process prometheus = new ProcessBuilder(PROMETHEUS, "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + promPort)
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile())
          .start();
      try {
        String ops = awaitResult(promPort,
            "mapaudit_map_operations_total{job=\"mapaudit\",mapaudit_operation=\"getOrDefault\"}");
        assertThat(ops).contains("\"mapaudit_map_type\":\"java.util.HashMap\"")
            .contains("\"instance\":\"127.0.0.1:" + agentPort + "\"");
        String findings = awaitResult(promPort, "sum by (mapaudit_kind) (mapaudit_findings_total)");
        assertThat(findings).contains("\"mapaudit_kind\":\"DEFAULT_ON_MISSING_KEY\"");
        String buckets = awaitResult(promPort,
            "mapaudit_map_operation_duration_seconds_bucket{le=\"0.01\"}");
        assertThat(buckets).contains("\"mapaudit_operation\"");
      } finally {
        prometheus.destroy();
        if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly();
        }
        app.send("exit");
      }
      assertThat(app.await(60).exitCode).isZero();
    }
  }

  /** Polls the query API (bounded: 60 s) until the instant query has a result; returns the JSON. */
  private static String awaitResult(int port, String query) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() == 200 && !r.body().contains("\"result\":[]")) {
          return r.body();
        }
      } catch (java.io.IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no result for " + query + " within 60 s: " + last
        + "; prometheus log: " + WORK.resolve("scrape").resolve("prometheus.log") + File.separator);
  }
}

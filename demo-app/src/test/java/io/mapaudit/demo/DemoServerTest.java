package io.mapaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class DemoServerTest {

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private DemoService service;
  private DemoServer server;

  @BeforeEach
  void start() throws Exception {
    service = new DemoService(false, EnumSet.complementOf(EnumSet.of(Incident.METRICS)));
    server = DemoServer.start(service, 0);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    service.close();
  }

  @Test
  void settleAndStats_fundLaunchedToday_skippedAndCountedInStatsJson() throws Exception {
    HttpResponse<String> settle = get("/settle?product=fund-new-1");
    HttpResponse<String> stats = get("/stats");

    assertThat(server.port()).isPositive();
    assertThat(settle.statusCode()).isEqualTo(200);
    assertThat(settle.body()).isEqualTo("{\"product\":\"fund-new-1\",\"outcome\":\"SKIPPED\"}");
    assertThat(stats.statusCode()).isEqualTo(200);
    assertThat(stats.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(stats.body())
        .startsWith("{\"mode\":\"buggy\"")
        .contains("\"settlements\":0,\"settlementsSkipped\":1,")
        .contains("\"cmesCaught\":0")
        .endsWith("}");
  }

  @Test
  void endpoints_everyIncident_answersJsonOrText() throws Exception {
    assertThat(get("/route?order=o-1&state=PAID").body()).isEqualTo("{\"order\":\"o-1\",\"state\":\"PAID\"}");
    assertThat(get("/pay?order=o-1").body()).isEqualTo("{\"order\":\"o-1\",\"charged\":true}");
    assertThat(get("/pay?order=o-1").body()).isEqualTo("{\"order\":\"o-1\",\"charged\":false}");
    assertThat(get("/refresh").body()).contains("\"concurrentModificationException\":true");
    assertThat(get("/product?id=product-1").body()).contains("\"id\":\"product-1\"");
    assertThat(get("/product?id=nope").statusCode()).isEqualTo(404);
    assertThat(get("/settle").statusCode()).isEqualTo(400);
    assertThat(get("/metrics").statusCode()).isEqualTo(404); // switched off in this test
    assertThat(service.refresher.runs()).isEqualTo(1);
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    URI uri = server.baseUri().resolve(pathAndQuery);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }
}

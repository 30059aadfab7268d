package io.mapaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The demo service under the real agent jar in a forked JVM: every incident's finding kind at the
 * incident's own line, and no error finding at all with {@code --fixed}.
 *
 * <p>The demo drives ~2,000 calls per second per incident with its racing threads lined up on a
 * shared clock; at {@code sampling=16} each racy map gets well over a hundred sampled operations a
 * second, each arming a watchpoint within the 1 % budget, so 12 seconds leave no realistic chance
 * of a race going unproven.
 */
final class DemoUnderAgentIT {
  private static final Path AGENT = Paths.get(System.getProperty("mapaudit.agent.jar",
      "../agent/target/mapaudit-agent.jar")).toAbsolutePath();
  private static final Path DEMO = Paths.get(System.getProperty("mapaudit.demo.jar",
      "target/mapaudit-demo-app.jar")).toAbsolutePath();
  private static final Path WORK = Paths.get("target", "it-work").toAbsolutePath();
  private static final String PKG = "io.mapaudit.demo.";

  private static JsonNode runDemo(String name, String... demoArgs) throws Exception {
    assertThat(AGENT).as("build the agent first (mvn -B verify from the root)").exists();
    Path dir = WORK.resolve(name);
    Files.createDirectories(dir);
    String home = System.getProperty("mapaudit.test.jdk", System.getProperty("java.home"));
    List<String> cmd = new ArrayList<>(List.of(Paths.get(home, "bin", "java").toString(),
        "-javaagent:" + AGENT + "=sampling=16,heatWindow=2s,reportDir=" + dir,
        "-jar", DEMO.toString(), "--seconds", "12"));
    cmd.addAll(List.of(demoArgs));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("output.txt").toFile()).start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("demo finished").isTrue();
    } finally {
      p.destroyForcibly();
    }
    String out = Files.readString(dir.resolve("output.txt"), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return read(dir.resolve("mapaudit-report.json"));
  }

  private static JsonNode read(Path p) throws IOException {
    return new ObjectMapper().readTree(p.toFile());
  }

  private static List<String> where(JsonNode report, String kind) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : report.get("findings")) {
      if (f.get("kind").asText().equals(kind)) {
        out.add(f.get("site").asText() + " | " + f.path("otherSite").asText(""));
      }
    }
    return out;
  }

  @Test
  void buggyDemo_everyIncidentFoundAtItsLine() throws Exception {
    JsonNode r = runDemo("buggy");
    String findings = r.get("findings").toString();
    assertThat(where(r, "DEFAULT_ON_MISSING_KEY")).as(findings)
        .anyMatch(s -> s.startsWith(PKG + "SettlementService.settle(SettlementService.java:73)"));
    assertThat(where(r, "CONCURRENT_WRITE")).as(findings)
        .anyMatch(s -> s.contains(PKG + "PaymentRouter.route(PaymentRouter.java:45)"));
    assertThat(where(r, "CHECK_THEN_ACT")).as(findings)
        .anyMatch(s -> s.startsWith(PKG + "IdempotencyStore.pay(IdempotencyStore.java:58)"));
    assertThat(where(r, "LOST_UPDATE")).as(findings)
        .anyMatch(s -> s.startsWith(PKG + "IdempotencyStore.countPayment(IdempotencyStore.java:80)"));
    assertThat(where(r, "MODIFIED_DURING_ITERATION")).as(findings)
        .anyMatch(s -> s.startsWith(PKG + "ConfigRefresher.refresh(ConfigRefresher.java:52)"));
    assertThat(where(r, "READ_DURING_WRITE")).as(findings)
        .anyMatch(s -> s.startsWith(PKG + "MetricsEndpoint.activeSessions(MetricsEndpoint.java:48)"));
    assertThat(where(r, "HOT_KEY")).as(findings)
        .anyMatch(s -> s.startsWith(PKG + "ProductCatalog."));
    for (JsonNode f : r.get("findings")) {
      if (f.get("kind").asText().equals("HOT_KEY")
          && f.get("site").asText().startsWith(PKG + "ProductCatalog.")) {
        assertThat(f.get("key").asText()).isEqualTo("product-1");
      }
    }
    assertThat(r.get("agent").get("adviceErrors").asLong()).isZero();
  }

  @Test
  void fixedDemo_noErrorFinding() throws Exception {
    JsonNode r = runDemo("fixed", "--fixed");
    List<String> errors = new ArrayList<>();
    for (JsonNode f : r.get("findings")) {
      if (f.get("severity").asText().equals("error")) {
        errors.add(f.toString());
      }
    }
    assertThat(errors).isEmpty();
    assertThat(r.get("maps").size()).isPositive();
    assertThat(r.get("agent").get("adviceErrors").asLong()).isZero();
  }
}

package io.mapaudit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the agent's JSON report (the stable schema of DESIGN §6). Every forked-JVM test reads its
 * reports here, and reading one asserts that the agent suppressed no error
 * ({@code agent.adviceErrors == 0}), as the OpenTelemetry agent's test runner fails a test that
 * logged a suppressed instrumentation error.
 */
public final class Reports {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Reports() {}

  /** The report at {@code file}; fails the test when the agent counted a suppressed error. */
  public static JsonNode read(Path file) throws IOException {
    JsonNode report = JSON.readTree(file.toFile());
    JsonNode agent = report.path("agent");
    if (!agent.has("adviceErrors")) {
      throw new AssertionError("no agent.adviceErrors in " + file);
    }
    if (agent.get("adviceErrors").asLong() != 0L) {
      throw new AssertionError("the agent suppressed " + agent.get("adviceErrors").asLong()
          + " error(s) (agent.adviceErrors) in " + file + ": " + agent);
    }
    return report;
  }

  /**
   * Asks the agent in {@code pid} for its report ({@code mapaudit report PID --out dir/name}),
   * fails the test unless the command succeeds, and reads the report as {@link #read} does.
   */
  public static JsonNode fetch(Path dir, String pid, String name) throws Exception {
    Path out = dir.resolve(name);
    ForkedJvm.Result r = ForkedJvm.cli(dir, "report", pid, "--out", out.toString());
    if (r.exitCode != 0) {
      throw new AssertionError("report " + pid + " exited with " + r.exitCode + ": " + r);
    }
    return read(out);
  }

  /** Maps whose site starts with {@code sitePrefix}. */
  public static List<JsonNode> mapsAt(JsonNode report, String sitePrefix) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode m : report.get("maps")) {
      if (m.path("site").asText("").startsWith(sitePrefix)) {
        out.add(m);
      }
    }
    return out;
  }

  /** Findings of {@code kind}. */
  public static List<JsonNode> findings(JsonNode report, String kind) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode f : report.get("findings")) {
      if (f.get("kind").asText().equals(kind)) {
        out.add(f);
      }
    }
    return out;
  }

  /** Findings of severity "error". */
  public static List<JsonNode> errors(JsonNode report) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode f : report.get("findings")) {
      if (f.get("severity").asText().equals("error")) {
        out.add(f);
      }
    }
    return out;
  }
}

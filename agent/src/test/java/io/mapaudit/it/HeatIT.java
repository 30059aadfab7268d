package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mapaudit.it.apps.ZipfWorkload;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hot keys at default sampling: a Zipf(1.0) workload (fixed seed, 1,000 keys, 2 threads, 200 M
 * reads) on a ConcurrentHashMap. About 195,000 operations are sampled; the 10th and 11th keys then
 * differ by 3.4 standard deviations, so the top 10 is the true top 10 except with probability
 * about 3e-4, and every count is within a few per cent of the truth.
 */
final class HeatIT {
  private static final Path WORK = Paths.get("target", "it-work", "heat").toAbsolutePath();

  @Test
  void zipfWorkload_defaultSampling_trueTopTenWithinTenPercent() throws Exception {
    Path dir = WORK.resolve("zipf");
    ForkedJvm.Result r;
    try (ForkedJvm jvm = ForkedJvm.start(dir,
        List.of(ForkedJvm.javaagent("heatWindow=10m,reportDir=" + dir)),
        ZipfWorkload.class.getName(), "1000", "100000000")) {
      r = jvm.await(300);
    }
    assertThat(r.exitCode).as(r.toString()).isZero();
    Map<String, Long> truth = new LinkedHashMap<>();
    for (String line : r.stdout) {
      if (line.startsWith("TRUE ")) {
        String[] p = line.split(" ");
        truth.put(p[1], Long.parseLong(p[2]));
      }
    }
    List<String> trueTop10 = new ArrayList<>(truth.keySet()).subList(0, 10);
    JsonNode report = Reports.read(dir.resolve("mapaudit-report.json"));
    JsonNode map = Reports.mapsAt(report, "io.mapaudit.it.apps.ZipfWorkload.").get(0);
    JsonNode hot = map.get("hotKeys");
    assertThat(hot.size()).isEqualTo(10);
    List<String> reported = new ArrayList<>();
    for (JsonNode k : hot) {
      String key = k.get("key").asText();
      reported.add(key);
      assertThat(truth).containsKey(key);
      long count = k.get("count").asLong();
      assertThat((double) count).as(key).isCloseTo(truth.get(key), org.assertj.core.data.Percentage.withPercentage(10));
      assertThat(k.get("error").asLong()).isLessThanOrEqualTo(count);
      assertThat(k.get("share").asDouble()).isBetween(0.0, 1.0);
    }
    assertThat(reported).containsExactlyInAnyOrderElementsOf(trueTop10);
    assertThat(map.get("heat").get("top1Share").asDouble()).isBetween(0.11, 0.16);
    assertThat(map.get("latencyNanos").get("get").get("count").asLong()).isPositive();
    List<JsonNode> hotKey = Reports.findings(report, "HOT_KEY");
    // sku-0 takes ~13 % of the reads: below the default hotKeyShare of 20 %.
    assertThat(hotKey).isEmpty();
  }

  @Test
  void skewedKey_overHotKeyShare_hotKeyFinding() throws Exception {
    Path dir = WORK.resolve("skewed");
    ForkedJvm.Result r;
    // 50 keys: sku-0 takes 1/H(50) = 22 % of the reads, over a 0.2 share.
    try (ForkedJvm jvm = ForkedJvm.start(dir,
        List.of(ForkedJvm.javaagent("sampling=16,heatWindow=1s,reportDir=" + dir)),
        ZipfWorkload.class.getName(), "50", "20000000")) {
      r = jvm.await(300);
    }
    assertThat(r.exitCode).as(r.toString()).isZero();
    JsonNode report = Reports.read(dir.resolve("mapaudit-report.json"));
    List<JsonNode> hotKey = Reports.findings(report, "HOT_KEY");
    assertThat(hotKey).as(report.get("findings").toString()).hasSize(1);
    assertThat(hotKey.get(0).get("key").asText()).isEqualTo("sku-0");
    assertThat(hotKey.get(0).get("severity").asText()).isEqualTo("info");
    assertThat(hotKey.get(0).get("site").asText()).startsWith("io.mapaudit.it.apps.ZipfWorkload.");
  }
}

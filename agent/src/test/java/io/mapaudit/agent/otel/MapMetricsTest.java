package io.mapaudit.agent.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.mapaudit.agent.audit.Aggregator;
import io.mapaudit.agent.config.AgentOptions;
import io.mapaudit.agent.detect.FindingStore;
import io.mapaudit.agent.profile.MapProfile;
import io.mapaudit.agent.record.RecordFlags;
import io.mapaudit.bootstrap.MapOp;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class MapMetricsTest {
  private final TestTelemetry otel = new TestTelemetry();
  private final Aggregator aggregator = new Aggregator(AgentOptions.defaults(), new FindingStore(),
      String::valueOf);
  private final MapMetrics metrics = new MapMetrics(otel.meters.get("mapaudit"), aggregator, 64);

  private static MapProfile profile(String type, String site) {
    MapProfile p = new MapProfile(type, "M@1", 1, 0L);
    p.site(site, true);
    return p;
  }

  private static Map<String, Long> sums(MetricData m) {
    return m.getLongSumData().getPoints().stream().collect(Collectors.toMap(
        p -> p.getAttributes().get(MapMetrics.MAP_TYPE) + "/"
            + p.getAttributes().get(MapMetrics.OPERATION), LongPointData::getValue));
  }

  @Test
  void sampledOps_scaledBySampling_missesAndDurationsRecorded() {
    MapProfile p = profile("java.util.HashMap", "com.acme.A.m(A.java:1)");
    metrics.onRecord(p, MapOp.GET, 0, 300);
    metrics.onRecord(p, MapOp.GET, RecordFlags.CONFIRMED_MISS, 2_000_000);
    metrics.onRecord(p, MapOp.PUT, 0, 0);
    Map<String, MetricData> m = otel.collect();
    assertThat(sums(m.get("mapaudit.map.operations"))).containsOnly(
        Map.entry("java.util.HashMap/get", 128L), Map.entry("java.util.HashMap/put", 64L));
    assertThat(sums(m.get("mapaudit.map.misses"))).containsOnly(
        Map.entry("java.util.HashMap/get", 64L));
    MetricData d = m.get("mapaudit.map.operation.duration");
    assertThat(d.getUnit()).isEqualTo("s");
    HistogramPointData h = d.getHistogramData().getPoints().iterator().next();
    assertThat(h.getBoundaries()).isEqualTo(MapMetrics.DURATION_BUCKETS);
    assertThat(h.getCount()).as("an op of unknown duration is not a 0 s op").isEqualTo(2);
    assertThat(h.getCounts().get(2)).as("300 ns in (250 ns, 500 ns]").isEqualTo(1);
    assertThat(h.getCounts().get(13)).as("2 ms in (1 ms, 2.5 ms]").isEqualTo(1);
  }

  @Test
  void collection_runsTheDrainFirst_soItsRecordsAreInTheSameCollection() {
    MapProfile p = profile("java.util.HashMap", "com.acme.A.m(A.java:1)");
    int[] drains = new int[1];
    // Stands for the drainer handing over what the rings held when the collection began.
    metrics.beforeCollect(() -> {
      drains[0]++;
      metrics.onRecord(p, MapOp.GET, 0, 300);
    });
    Map<String, MetricData> m = otel.collect();
    assertThat(drains[0]).isEqualTo(1);
    assertThat(sums(m.get("mapaudit.map.operations"))).containsOnly(
        Map.entry("java.util.HashMap/get", 64L));
    metrics.beforeCollect(null);
    assertThat(sums(otel.collect().get("mapaudit.map.operations"))).containsOnly(
        Map.entry("java.util.HashMap/get", 64L));
    assertThat(drains[0]).isEqualTo(1);
  }

  @Test
  void jdkInternalOrUnknownSites_notCounted() {
    metrics.onRecord(profile("java.util.HashMap", "java.lang.invoke.X.m(X.java:1)"), MapOp.GET,
        0, 1);
    metrics.onRecord(new MapProfile("java.util.HashMap", "M@2", 2, 0L), MapOp.GET, 0, 1);
    assertThat(otel.collect()).doesNotContainKey("mapaudit.map.operations");
  }

  @Test
  void manyMapTypes_boundedWithOther() {
    for (int i = 0; i < MapMetrics.MAX_TYPES + 10; i++) {
      metrics.onRecord(profile("com.acme.Map" + i, "com.acme.A.m(A.java:1)"), MapOp.PUT, 0, 1);
    }
    Map<String, Long> ops = sums(otel.collect().get("mapaudit.map.operations"));
    assertThat(ops).hasSize(MapMetrics.MAX_TYPES + 1);
    assertThat(ops).containsEntry("other/put", 10L * 64);
  }

  @Test
  void hotKeyShares_topTenOnly_replacedOnPublish() {
    for (int i = 0; i < 15; i++) {
      metrics.recordHotKeyShare("java.util.HashMap", "M@1", "k" + i, i / 100.0);
    }
    metrics.publishHotKeyShares();
    List<DoublePointData> points = List.copyOf(otel.collect().get("mapaudit.map.hot_key.share")
        .getDoubleGaugeData().getPoints());
    assertThat(points).hasSize(MapMetrics.MAX_HOT_KEYS);
    assertThat(points.stream().map(p -> p.getAttributes().get(MapMetrics.KEY)))
        .contains("k14").doesNotContain("k0", "k4");
    metrics.recordHotKeyShare("java.util.HashMap", "M@1", "only", 0.5);
    metrics.publishHotKeyShares();
    assertThat(otel.collect().get("mapaudit.map.hot_key.share").getDoubleGaugeData().getPoints())
        .hasSize(1);
  }
}

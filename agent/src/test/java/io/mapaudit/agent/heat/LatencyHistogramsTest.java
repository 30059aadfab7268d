package io.mapaudit.agent.heat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class LatencyHistogramsTest {

  @Test
  void record_outOfRangeValues_clampedWithoutThrowing() {
    LatencyHistograms latency = new LatencyHistograms();
    latency.record("get", 0);
    latency.record("get", -5);
    latency.record("get", Long.MIN_VALUE);
    latency.record("get", Long.MAX_VALUE);

    LatencyStats get = latency.snapshot().get("get");
    assertThat(get.count()).isEqualTo(4);
    assertThat(get.p50()).isEqualTo(LatencyHistograms.LOWEST_NANOS);
    assertThat(get.max()).isEqualTo(LatencyHistograms.HIGHEST_NANOS);
    assertThat(get.p99()).isEqualTo(LatencyHistograms.HIGHEST_NANOS);
  }

  @Test
  void snapshot_knownDistribution_percentilesWithinBucketPrecision() {
    LatencyHistograms latency = new LatencyHistograms();
    for (int i = 1; i <= 1_000; i++) {
      latency.record("put", i * 100L); // 100 ns .. 100 µs, uniform
    }

    LatencyStats put = latency.snapshot().get("put");
    assertThat(put.count()).isEqualTo(1_000);
    assertThat(put.p50()).isBetween(50_000L, 50_000L * 107 / 100);
    assertThat(put.p90()).isBetween(90_000L, 90_000L * 107 / 100);
    assertThat(put.p99()).isBetween(99_000L, 100_000L);
    assertThat(put.max()).isEqualTo(100_000L);
  }

  @Test
  void record_bucketOverflow_widensWithoutLosingSamples() {
    LatencyHistograms latency = new LatencyHistograms();
    long shortSmallEnough = latency.estimatedFootprintBytes();
    for (int i = 0; i < 40_000; i++) {
      latency.record("get", 50);
    }

    assertThat(latency.snapshot().get("get").count()).isEqualTo(40_000);
    assertThat(latency.snapshot().get("get").p50()).isEqualTo(50);
    assertThat(latency.estimatedFootprintBytes()).isGreaterThan(shortSmallEnough);
  }

  @Test
  void snapshot_opNames_sortedAndSeparate() {
    LatencyHistograms latency = new LatencyHistograms();
    latency.record("remove", 10);
    latency.record("get", 20);
    latency.record(new String("get"), 30);

    Map<String, LatencyStats> snapshot = latency.snapshot();
    assertThat(snapshot).containsOnlyKeys("get", "remove");
    assertThat(snapshot.keySet()).containsExactly("get", "remove");
    assertThat(snapshot.get("get").count()).isEqualTo(2);
  }

  @Test
  void record_moreNamesThanCap_extraNamesShareOther() {
    LatencyHistograms latency = new LatencyHistograms();
    for (int i = 0; i < LatencyHistograms.MAX_OPS + 10; i++) {
      latency.record("op" + i, 100);
    }
    latency.record(null, 100);

    Map<String, LatencyStats> snapshot = latency.snapshot();
    assertThat(snapshot).hasSize(LatencyHistograms.MAX_OPS + 1);
    assertThat(snapshot.get(LatencyHistograms.OTHER_OP).count()).isEqualTo(11);
  }

  @Test
  void snapshot_nothingRecorded_emptyAndNoHistograms() {
    LatencyHistograms latency = new LatencyHistograms();

    assertThat(latency.snapshot()).isEmpty();
    assertThat(latency.opCount()).isZero();
    assertThat(latency.estimatedFootprintBytes()).isZero();
  }
}

package io.mapaudit.agent.heat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

final class HeatHistogramTest {
  private final HeatHistogram heat = new HeatHistogram();

  @Test
  void compute_oneHotKeyAndTenSingles_top1ShareAndPercentilesFollowTheHotKey() {
    long[] hits = new long[11];
    hits[0] = 90;
    Arrays.fill(hits, 1, 11, 1);

    HeatStats stats = heat.compute(hits, hits.length, 100);

    assertThat(stats.total()).isEqualTo(100);
    assertThat(stats.trackedKeys()).isEqualTo(11);
    assertThat(stats.top1Share()).isEqualTo(0.9);
    assertThat(stats.top10Share()).isEqualTo(0.99);
    assertThat(stats.top100Share()).isEqualTo(1.0);
    assertThat(stats.p50()).isEqualTo(90);
    assertThat(stats.p90()).isEqualTo(90);
    assertThat(stats.p99()).isEqualTo(90);
    assertThat(stats.untrackedShare()).isZero();
  }

  @Test
  void compute_uniformThousandKeys_sharesProportionalAndPercentilesFlat() {
    long[] hits = new long[1_000];
    Arrays.fill(hits, 7);

    HeatStats stats = heat.compute(hits, hits.length, 7_000);

    assertThat(stats.top1Share()).isCloseTo(0.001, within(1e-12));
    assertThat(stats.top10Share()).isCloseTo(0.01, within(1e-12));
    assertThat(stats.top100Share()).isCloseTo(0.1, within(1e-12));
    assertThat(stats.p50()).isEqualTo(7);
    assertThat(stats.p99()).isEqualTo(7);
  }

  @Test
  void compute_trackedSumBelowTotal_reportsUntrackedShareAndPercentilesOfTrackedPart() {
    long[] hits = {30, 10, 10};

    HeatStats stats = heat.compute(hits, hits.length, 100);

    assertThat(stats.untrackedShare()).isEqualTo(0.5);
    assertThat(stats.top1Share()).isEqualTo(0.3);
    assertThat(stats.top10Share()).isEqualTo(0.5);
    assertThat(stats.p50()).isEqualTo(30); // 30 of the 50 tracked accesses hit the 30-hit key
    assertThat(stats.p90()).isEqualTo(30);
  }

  @Test
  void compute_skewedQuartiles_percentilesAreAccessWeighted() {
    // 4 keys with 10 hits (40 accesses) and one with 60: 40% of accesses go to 10-hit keys.
    long[] hits = {10, 10, 60, 10, 10};

    HeatStats stats = heat.compute(hits, hits.length, 100);

    assertThat(stats.p50()).isEqualTo(60);
    assertThat(heat.compute(new long[] {10, 10, 10, 10, 10, 50}, 6, 100).p50()).isEqualTo(10);
  }

  @Test
  void compute_totalZeroOrNothingTracked_allZerosOrAllUntracked() {
    assertThat(heat.compute(new long[0], 0, 0)).isSameAs(HeatStats.EMPTY);
    HeatStats allUntracked = heat.compute(new long[] {0, -1}, 2, 10);
    assertThat(allUntracked.untrackedShare()).isEqualTo(1.0);
    assertThat(allUntracked.top1Share()).isZero();
    assertThat(allUntracked.p99()).isZero();
  }

  @Test
  void compute_largeAndHugeValues_percentilesWithinOnePercentAndNeverAboveMax() {
    long huge = Long.MAX_VALUE / 4;
    HeatStats stats = heat.compute(new long[] {123_456, 1}, 2, 123_457);
    assertThat(stats.p50()).isBetween(123_456L, 123_456L);
    assertThat(heat.compute(new long[] {123_456, 100_000}, 2, 223_456).p50())
        .isBetween(123_456L * 99 / 100, 123_456L);

    HeatStats clamped = heat.compute(new long[] {huge}, 1, huge);
    assertThat(clamped.top1Share()).isEqualTo(1.0);
    assertThat(clamped.p50()).isLessThanOrEqualTo(HeatHistogram.MAX_HITS + HeatHistogram.MAX_HITS / 100);
  }

  @Test
  void compute_sketchWithEvictions_usesGuaranteedCountsAndReportsTheRestAsUntracked() {
    HotKeySketch sketch = new HotKeySketch(4);
    sketch.add("hot", 50);
    for (int i = 0; i < 50; i++) {
      sketch.add("cold-" + i, 1);
    }

    HeatStats stats = heat.compute(sketch);

    assertThat(stats.total()).isEqualTo(100);
    assertThat(stats.top1Share()).isEqualTo(0.5);
    // 50 single hits spread over 3 churning counters: little can be attributed to a key.
    assertThat(stats.untrackedShare()).isGreaterThan(0.4);
    assertThat(stats.p99()).isEqualTo(50);
  }

  @Test
  void compute_sketchWithAtMostMKeys_matchesExactCounts() {
    HotKeySketch sketch = new HotKeySketch(16);
    sketch.add("a", 90);
    for (int i = 0; i < 10; i++) {
      sketch.add("b" + i, 1);
    }

    HeatStats stats = heat.compute(sketch);

    assertThat(stats.untrackedShare()).isZero();
    assertThat(stats.top1Share()).isEqualTo(0.9);
    assertThat(stats.p50()).isEqualTo(90);
  }

  @Test
  void scaled_bySamplingInterval_multipliesCountsKeepsShares() {
    HeatStats stats = heat.compute(new long[] {90, 10}, 2, 100).scaled(64);

    assertThat(stats.total()).isEqualTo(6_400);
    assertThat(stats.p50()).isEqualTo(90 * 64);
    assertThat(stats.top1Share()).isEqualTo(0.9);
    assertThat(HeatStats.scale(Long.MAX_VALUE / 2, 64)).isEqualTo(Long.MAX_VALUE);
  }
}

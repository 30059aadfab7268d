package io.mapaudit.agent.heat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class MapHeatTest {
  private static final long WINDOW = 60_000;
  private static final long T0 = 1_000_000;

  @Test
  void report_lastWindowHasData_reportsLastWindowScaled() {
    MapHeat heat = new MapHeat(128, WINDOW, T0);
    recordMany(heat, "A", 90, T0);
    recordMany(heat, "B", 10, T0);
    recordMany(heat, "C", 5, T0 + WINDOW); // current window

    HeatReport report = heat.report(10, 64, T0 + WINDOW + 1);

    assertThat(report.window()).isEqualTo(HeatReport.WINDOW_LAST);
    assertThat(report.windowStartMillis()).isEqualTo(T0);
    assertThat(report.windowEndMillis()).isEqualTo(T0 + WINDOW);
    assertThat(report.windowSampledOps()).isEqualTo(100);
    assertThat(report.hotKeys()).extracting(HotKeyView::key).containsExactly("A", "B");
    HotKeyView a = report.hotKeys().get(0);
    assertThat(a.count()).isEqualTo(90 * 64);
    assertThat(a.error()).isZero();
    assertThat(a.share()).isEqualTo(0.9);
    assertThat(report.heat().top1Share()).isEqualTo(0.9);
    assertThat(report.heat().p50()).isEqualTo(90 * 64);
    assertThat(report.cumulativeHotKeys()).extracting(HotKeyView::key)
        .containsExactly("A", "B", "C");
    assertThat(report.cumulativeHotKeys().get(0).share()).isEqualTo(90.0 / 105);
    assertThat(report.sampledOps()).isEqualTo(105);
    assertThat(report.samplingInterval()).isEqualTo(64);
  }

  @Test
  void report_noCompleteWindow_reportsCurrentWindow() {
    MapHeat heat = new MapHeat(128, WINDOW, T0);
    recordMany(heat, "A", 3, T0 + 10);

    HeatReport report = heat.report(10, 1, T0 + 20);

    assertThat(report.window()).isEqualTo(HeatReport.WINDOW_CURRENT);
    assertThat(report.windowStartMillis()).isEqualTo(T0);
    assertThat(report.hotKeys()).extracting(HotKeyView::key, HotKeyView::count)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("A", 3L));
  }

  @Test
  void report_afterQuietWindow_fallsBackToCurrent() {
    MapHeat heat = new MapHeat(128, WINDOW, T0);
    recordMany(heat, "A", 3, T0);
    recordMany(heat, "B", 2, T0 + 3 * WINDOW);

    HeatReport report = heat.report(10, 1, T0 + 3 * WINDOW + 5);

    assertThat(report.window()).isEqualTo(HeatReport.WINDOW_CURRENT);
    assertThat(report.hotKeys()).extracting(HotKeyView::key).containsExactly("B");
    assertThat(report.cumulativeHotKeys()).extracting(HotKeyView::key).containsExactly("A", "B");
  }

  @Test
  void report_reportTimePastWindowEnd_rotatesFirst() {
    MapHeat heat = new MapHeat(128, WINDOW, T0);
    recordMany(heat, "A", 3, T0);

    assertThat(heat.report(10, 1, T0 + WINDOW).window()).isEqualTo(HeatReport.WINDOW_LAST);
  }

  @Test
  void recordKey_nullKeysForKeysOff_countedButNoHotKeys() {
    MapHeat heat = new MapHeat(128, WINDOW, T0);
    for (int i = 0; i < 50; i++) {
      heat.recordKey(null, T0 + i);
    }
    heat.recordLatency("get", 120);

    HeatReport report = heat.report(10, 8, T0 + 100);

    assertThat(report.sampledOps()).isEqualTo(50);
    assertThat(report.hotKeys()).isEmpty();
    assertThat(report.cumulativeHotKeys()).isEmpty();
    assertThat(report.heat()).isSameAs(HeatStats.EMPTY);
    assertThat(report.latency()).containsOnlyKeys("get");
    assertThat(heat.hottest(0.0, 0)).isNull();
  }

  @Test
  void hottest_shareAndVolumeThresholds_reportOnlyProvenHotKey() {
    MapHeat heat = new MapHeat(128, WINDOW, T0);
    recordMany(heat, "A", 60, T0);
    for (int i = 0; i < 40; i++) {
      heat.recordKey("cold-" + i, T0);
    }

    HotKeyView hot = heat.hottest(0.5, 100);
    assertThat(hot).isNotNull();
    assertThat(hot.key()).isEqualTo("A");
    assertThat(hot.share()).isEqualTo(0.6);
    assertThat(heat.hottest(0.61, 100)).isNull();
    assertThat(heat.hottest(0.5, 101)).isNull();

    recordMany(heat, "B", 1, T0 + WINDOW); // rotates: the last window (A) is used now
    assertThat(heat.hottest(0.5, 100).key()).isEqualTo("A");
  }

  @Test
  void hottest_counterHotOnlyThroughOverestimate_notReported() {
    MapHeat heat = new MapHeat(2, WINDOW, T0);
    recordMany(heat, "A", 10, T0);
    for (int i = 0; i < 11; i++) {
      heat.recordKey("cold-" + i, T0); // churns the second counter: ends at count 11, error 10
    }

    // By upper bound "cold-10" holds 11 of 21 ops, proven 1; A is proven at 10 of 21.
    assertThat(heat.report(1, 1, T0).hotKeys().get(0).key()).isEqualTo("cold-10");
    assertThat(heat.hottest(0.4, 0).key()).isEqualTo("A");
    assertThat(heat.hottest(0.5, 0)).isNull();
  }

  @Test
  void report_badArguments_throw() {
    MapHeat heat = new MapHeat(128, WINDOW, T0);
    assertThatThrownBy(() -> heat.report(10, 0, T0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> heat.report(-1, 1, T0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MapHeat(128, 0, T0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void recordMany(MapHeat heat, String key, int times, long now) {
    for (int i = 0; i < times; i++) {
      heat.recordKey(key, now);
    }
  }
}

package io.mapaudit.agent.heat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class WindowedHotKeysTest {
  private static final long WINDOW = 1_000;
  private static final long START = 10_000;

  @Test
  void lastWindow_hotSetShiftsFromAToB_showsBWhileCumulativeKeepsA() {
    WindowedHotKeys windows = new WindowedHotKeys(16, WINDOW, START);
    feed(windows, "A", "a-cold-", START);                // window 1: A hot
    feed(windows, "B", "b-cold-", START + WINDOW);       // window 2: B hot
    windows.advanceTo(START + 2 * WINDOW);               // close window 2

    WindowSummary last = windows.lastWindow(3);
    assertThat(last.top().get(0).key()).isEqualTo("B");
    assertThat(last.top()).extracting(HotKey::key).doesNotContain("A");
    assertThat(last.windowStartMillis()).isEqualTo(START + WINDOW);
    assertThat(last.windowEndMillis()).isEqualTo(START + 2 * WINDOW);
    assertThat(last.total()).isEqualTo(110);
    assertThat(last.heat().top1Share()).isEqualTo(100 / 110.0);

    WindowSummary cumulative = windows.cumulative(2);
    assertThat(cumulative.top()).extracting(HotKey::key).containsExactly("A", "B");
    assertThat(cumulative.total()).isEqualTo(220);
    assertThat(cumulative.windowStartMillis()).isEqualTo(START);

    assertThat(windows.current(5).isEmpty()).isTrue();
    assertThat(windows.current(5).windowStartMillis()).isEqualTo(START + 2 * WINDOW);
  }

  @Test
  void add_afterGapOfSeveralWindows_lastWindowIsEmptyAndCurrentHoldsOnlyNewData() {
    WindowedHotKeys windows = new WindowedHotKeys(16, WINDOW, START);
    feed(windows, "A", "a-cold-", START);

    windows.add("C", 1, START + 5 * WINDOW + 10);

    WindowSummary last = windows.lastWindow(5);
    assertThat(windows.hasCompleteWindow()).isTrue();
    assertThat(last.isEmpty()).isTrue();
    assertThat(last.top()).isEmpty();
    assertThat(last.heat()).isSameAs(HeatStats.EMPTY);
    assertThat(last.windowStartMillis()).isEqualTo(START + 4 * WINDOW);
    assertThat(last.windowEndMillis()).isEqualTo(START + 5 * WINDOW);
    assertThat(windows.current(5).top()).extracting(HotKey::key).containsExactly("C");
    assertThat(windows.cumulative(1).top()).extracting(HotKey::key).containsExactly("A");
  }

  @Test
  void lastWindow_beforeAnyRotation_isEmpty() {
    WindowedHotKeys windows = new WindowedHotKeys(16, WINDOW, START);
    windows.add("A", 3, START + WINDOW - 1);

    assertThat(windows.hasCompleteWindow()).isFalse();
    assertThat(windows.lastWindow(10).isEmpty()).isTrue();
    assertThat(windows.current(10).top()).extracting(HotKey::count).containsExactly(3L);
  }

  @Test
  void add_exactlyAtWindowEnd_rotatesFirst() {
    WindowedHotKeys windows = new WindowedHotKeys(16, WINDOW, START);
    windows.add("A", 1, START);
    windows.add("B", 1, START + WINDOW);

    assertThat(windows.lastWindow(10).top()).extracting(HotKey::key).containsExactly("A");
    assertThat(windows.current(10).top()).extracting(HotKey::key).containsExactly("B");
  }

  @Test
  void add_clockStepsBack_countsInCurrentWindow() {
    WindowedHotKeys windows = new WindowedHotKeys(16, WINDOW, START);
    windows.add("A", 1, START + 10);
    windows.add("B", 1, START - 5_000);

    assertThat(windows.hasCompleteWindow()).isFalse();
    assertThat(windows.current(10).total()).isEqualTo(2);
  }

  @Test
  void lastWindow_moreThanRetained_keepsOnlyRetainedTop() {
    WindowedHotKeys windows =
        new WindowedHotKeys(64, WINDOW, START, 4, new HeatHistogram());
    for (int i = 0; i < 20; i++) {
      windows.add("k" + i, i + 1, START);
    }
    windows.advanceTo(START + WINDOW);

    WindowSummary last = windows.lastWindow(10);
    assertThat(last.top()).extracting(HotKey::key).containsExactly("k19", "k18", "k17", "k16");
    assertThat(last.total()).isEqualTo(210);
    assertThat(last.heat().trackedKeys()).isEqualTo(20); // heat is computed before truncation
  }

  /** 100 hits on {@code hot} and 10 single hits on distinct cold keys, all at {@code time}. */
  private static void feed(WindowedHotKeys windows, String hot, String coldPrefix, long time) {
    for (int i = 0; i < 100; i++) {
      windows.add(hot, 1, time + i);
    }
    for (int i = 0; i < 10; i++) {
      windows.add(coldPrefix + i, 1, time + 100 + i);
    }
  }
}

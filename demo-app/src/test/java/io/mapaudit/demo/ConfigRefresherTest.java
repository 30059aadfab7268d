package io.mapaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ConfigRefresherTest {

  @Test
  void refresh_buggyMode_catchesCmeAndLeavesStaleKeys() {
    ConfigRefresher refresher = new ConfigRefresher(false);

    ConfigRefresher.Result twoKeysChanged = refresher.refresh(); // run 1 of the cycle

    assertThat(twoKeysChanged.threwCme()).isTrue();
    assertThat(twoKeysChanged.removed()).isEqualTo(1);
    assertThat(twoKeysChanged.staleLeft()).isEqualTo(1);
    assertThat(refresher.cmesCaught()).isEqualTo(1);
  }

  @Test
  void refresh_buggyModeWhenOnlyTheLastIteratedKeyIsStale_endsSilently() {
    ConfigRefresher refresher = new ConfigRefresher(false);
    refresher.refresh(); // two keys changed, one left stale
    refresher.refresh(); // nothing changed, the leftover is removed

    ConfigRefresher.Result lastKeyChanged = refresher.refresh();

    assertThat(lastKeyChanged.threwCme()).isFalse();
    assertThat(lastKeyChanged.removed()).isEqualTo(1);
    assertThat(refresher.silentModifications()).isPositive();
  }

  @Test
  void refresh_buggyModeOverManyRuns_staysBoundedAndShowsEveryOutcome() {
    ConfigRefresher refresher = new ConfigRefresher(false);
    List<ConfigRefresher.Result> results = run(refresher, 40);

    assertThat(refresher.cmesCaught()).isGreaterThanOrEqualTo(10);
    assertThat(refresher.silentModifications()).isGreaterThanOrEqualTo(10);
    assertThat(refresher.staleEntriesLeft()).isGreaterThanOrEqualTo(10);
    assertThat(results).allSatisfy(r -> assertThat(r.staleLeft()).isLessThanOrEqualTo(2));
  }

  @Test
  void refresh_fixedMode_removesEveryStaleKeyWithoutCme() {
    ConfigRefresher refresher = new ConfigRefresher(true);
    List<ConfigRefresher.Result> results = run(refresher, 40);

    assertThat(results).allSatisfy(r -> {
      assertThat(r.threwCme()).isFalse();
      assertThat(r.staleLeft()).isZero();
    });
    assertThat(results.get(0).removed()).isEqualTo(2);
    assertThat(refresher.cmesCaught()).isZero();
    assertThat(refresher.silentModifications()).isZero();
    assertThat(refresher.staleEntriesLeft()).isZero();
  }

  private static List<ConfigRefresher.Result> run(ConfigRefresher refresher, int runs) {
    List<ConfigRefresher.Result> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      results.add(refresher.refresh());
    }
    return results;
  }
}

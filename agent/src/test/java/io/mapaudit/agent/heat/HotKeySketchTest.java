package io.mapaudit.agent.heat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class HotKeySketchTest {

  @Test
  void add_distinctKeysAtMostM_countsAreExact() {
    HotKeySketch sketch = new HotKeySketch(64);
    Map<String, Long> truth = new HashMap<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      String key = "key-" + random.nextInt(64);
      long weight = 1 + random.nextInt(3);
      sketch.add(key, weight);
      truth.merge(key, weight, Long::sum);
    }

    List<HotKey> top = sketch.top(64);
    assertThat(top).hasSize(truth.size());
    for (HotKey hot : top) {
      assertThat(hot.error()).isZero();
      assertThat(hot.count()).isEqualTo(truth.get(hot.key()));
    }
    assertThat(sketch.total()).isEqualTo(truth.values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void add_manyMoreKeysThanCounters_boundsHoldAfterEveryPhase() {
    int m = 32;
    HotKeySketch sketch = new HotKeySketch(m);
    Map<String, Long> truth = new HashMap<>();
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 1; i <= 200_000; i++) {
      // A skewed head over a wide uniform tail, with weights, so counters churn constantly.
      String key = random.nextInt(4) == 0 ? "hot-" + random.nextInt(8) : "tail-" + random.nextInt(5_000);
      long weight = 1 + random.nextInt(4);
      sketch.add(key, weight);
      truth.merge(key, weight, Long::sum);
      if (i % 20_000 == 0) {
        assertBounds(sketch, truth, m);
      }
    }
  }

  private static void assertBounds(HotKeySketch sketch, Map<String, Long> truth, int m) {
    List<HotKey> all = sketch.top(m);
    assertThat(sketch.size()).isEqualTo(m);
    assertThat(all.stream().map(HotKey::key).collect(Collectors.toSet())).hasSize(m);
    long sum = 0;
    for (HotKey hot : all) {
      long actual = truth.get(hot.key());
      assertThat(hot.count() - hot.error()).isLessThanOrEqualTo(actual);
      assertThat(actual).isLessThanOrEqualTo(hot.count());
      sum += hot.count();
    }
    assertThat(sum).isEqualTo(sketch.total());
    // Every key heavier than total/m must be tracked.
    Set<String> tracked = all.stream().map(HotKey::key).collect(Collectors.toSet());
    truth.forEach((key, count) -> {
      if (count > sketch.total() / m) {
        assertThat(tracked).contains(key);
      }
    });
  }

  @Test
  void top_zipfOneMillionOpsOverHundredThousandKeys_top10RecallIsOne() {
    int keys = 100_000;
    ZipfStream zipf = new ZipfStream(keys, 1.0, 2024);
    HotKeySketch sketch = new HotKeySketch(128);
    long[] truth = new long[keys];
    String[] names = IntStream.range(0, keys).mapToObj(i -> "user-" + i).toArray(String[]::new);
    for (int i = 0; i < 1_000_000; i++) {
      int rank = zipf.next();
      truth[rank]++;
      sketch.add(names[rank], 1);
    }

    Set<String> trueTop10 = IntStream.range(0, keys).boxed()
        .sorted((a, b) -> Long.compare(truth[b], truth[a]))
        .limit(10).map(i -> names[i]).collect(Collectors.toSet());
    Set<String> sketchTop10 =
        sketch.top(10).stream().map(HotKey::key).collect(Collectors.toSet());
    assertThat(sketchTop10).isEqualTo(trueTop10);
  }

  @Test
  void top_ties_orderedByKeyForDeterminism() {
    HotKeySketch sketch = new HotKeySketch(8);
    sketch.add("c", 2);
    sketch.add("a", 2);
    sketch.add("b", 5);
    sketch.add("d", 1);

    assertThat(sketch.top(3)).extracting(HotKey::key).containsExactly("b", "a", "c");
    assertThat(sketch.top(0)).isEmpty();
    assertThat(sketch.top(100)).hasSize(4);
  }

  @Test
  void add_full_replacesMinimumWithMinPlusWeightAndErrorMin() {
    HotKeySketch sketch = new HotKeySketch(2);
    sketch.add("a", 5);
    sketch.add("b", 3);
    sketch.add("c", 2);

    assertThat(sketch.top(2)).extracting(HotKey::key, HotKey::count, HotKey::error)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", 5L, 0L),
            org.assertj.core.groups.Tuple.tuple("c", 5L, 3L));
  }

  @Test
  void add_growsPastInitialCapacity_keepsAllKeys() {
    HotKeySketch sketch = new HotKeySketch(1000);
    for (int i = 0; i < 1000; i++) {
      sketch.add("k" + i, i + 1);
    }
    for (int i = 0; i < 1000; i++) {
      sketch.add("k" + i, 1);
    }

    List<HotKey> top = sketch.top(1000);
    assertThat(sketch.size()).isEqualTo(1000);
    assertThat(top.get(0).key()).isEqualTo("k999");
    assertThat(top.get(0).count()).isEqualTo(1001);
    assertThat(top).allSatisfy(hot -> assertThat(hot.error()).isZero());
  }

  @Test
  void clear_afterUse_forgetsKeysAndTotalAndStillWorks() {
    HotKeySketch sketch = new HotKeySketch(4);
    for (int i = 0; i < 100; i++) {
      sketch.add("k" + i, 1);
    }
    sketch.clear();

    assertThat(sketch.size()).isZero();
    assertThat(sketch.total()).isZero();
    assertThat(sketch.top(4)).isEmpty();
    sketch.add("k1", 3);
    assertThat(sketch.top(4)).extracting(HotKey::key, HotKey::count, HotKey::error)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("k1", 3L, 0L));
  }

  @Test
  void add_singleCounter_tracksLatestKeyWithFullError() {
    HotKeySketch sketch = new HotKeySketch(1);
    sketch.add("a", 1);
    sketch.add("b", 1);
    sketch.add("b", 1);

    HotKey only = sketch.top(1).get(0);
    assertThat(only.key()).isEqualTo("b");
    assertThat(only.count()).isEqualTo(3);
    assertThat(only.error()).isEqualTo(1);
  }

  @Test
  void add_badArguments_throw() {
    HotKeySketch sketch = new HotKeySketch(4);
    assertThatThrownBy(() -> sketch.add(null, 1)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> sketch.add("a", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HotKeySketch(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HotKeySketch(HotKeySketch.MAX_COUNTERS + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void add_collidingHashes_lookupsSurviveEvictions() {
    // "Aa" and "BB" share String.hashCode(); so do all their concatenations.
    String[] colliding = {"AaAa", "AaBB", "BBAa", "BBBB"};
    Set<String> distinct = new HashSet<>();
    HotKeySketch sketch = new HotKeySketch(3);
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 10_000; i++) {
      String key = colliding[random.nextInt(colliding.length)];
      sketch.add(new String(key), 1); // a fresh instance: lookup must use equals, not identity
      distinct.add(key);
      assertThat(sketch.top(3).stream().map(HotKey::key).distinct().count())
          .isEqualTo(sketch.size());
    }
    assertThat(distinct).hasSize(4);
  }
}

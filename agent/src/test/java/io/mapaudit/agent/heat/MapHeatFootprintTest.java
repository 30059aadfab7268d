package io.mapaudit.agent.heat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Measures retained bytes per {@link MapHeat} (m = 128) after 1M distinct keys over 10 windows and
 * sampled latency on 4 operation names, as used-heap differences over many live instances.
 */
final class MapHeatFootprintTest {
  private static final int INSTANCES = 24;
  private static final int KEYS = 1_000_000;
  private static final long WINDOW = 60_000;
  private static final String[] OPS = {"get", "put", "remove", "containsKey"};

  @Test
  void footprint_oneMillionDistinctKeysAndFourOps_staysWithinBudget(TestReporter reporter) {
    HeatHistogram shared = new HeatHistogram(); // one per drainer: not part of a map's bytes
    shared.compute(new long[] {1}, 1, 1);
    MapHeat[] heats = new MapHeat[INSTANCES];
    long before = usedHeap();
    for (int n = 0; n < INSTANCES; n++) {
      heats[n] = new MapHeat(MapHeat.DEFAULT_COUNTERS, WINDOW, 0, shared);
      feed(heats[n], n);
    }
    long after = usedHeap();
    long perMap = (after - before) / INSTANCES;

    reporter.publishEntry("bytesPerMapHeat", Long.toString(perMap));
    assertThat(heats[INSTANCES - 1].sampledOps()).isEqualTo(KEYS);
    // About 28 KB on JDK 17 with compressed oops (JOL: 26,888 B); see the MapHeat javadoc.
    assertThat(perMap).isBetween(8_000L, 32_000L);
  }

  /**
   * Distinct keys spread over 10 windows; latency mostly 40-47 ns with a 1% tail up to 100 µs,
   * concentrated enough that bucket counts outgrow shorts (the worst case for memory).
   */
  private static void feed(MapHeat heat, int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < KEYS; i++) {
      heat.recordKey("user-" + i, i * 10L * WINDOW / KEYS);
      long nanos = 40 + random.nextInt(8) + (random.nextInt(100) == 0 ? random.nextInt(100_000) : 0);
      heat.recordLatency(OPS[i & 3], nanos);
    }
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    // Several collections: take the lowest reading, so garbage left by earlier tests settles.
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }
}

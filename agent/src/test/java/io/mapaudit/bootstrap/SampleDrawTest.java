package io.mapaudit.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The sampling draw's statistics over the thread's Weyl sequence. Everything here is
 * deterministic (fixed seeds), so each check either always passes or always fails.
 */
class SampleDrawTest {
  private static final long GAMMA = 0x9e3779b97f4a7c15L;
  private static final int N = 1 << 24;
  private static final int ONE_IN = 1024;
  private static final int AT_MOST = MapAccessDispatcher.sampleAtMost(1.0 / ONE_IN);

  /** The seed steps of thread {@code tid} from {@code start}, as SampleDraw.draw advances them. */
  private static long step(long tid) {
    return (tid << 1) + GAMMA;
  }

  @Test
  void samplesOneInNOfAThreadsSequence() {
    for (long tid : new long[] {1, 17, 123_456}) {
      long s = tid == 17 ? 0x1234_5678_9abc_def0L : 0L;
      int sampled = 0;
      for (int i = 0; i < N; i++) {
        s += step(tid);
        if (SampleDraw.mix(s) <= AT_MOST) {
          sampled++;
        }
      }
      // Expected 16,384, binomial sd 128: ±3 % is ±3.8 sd.
      assertThat(sampled).as("tid " + tid).isBetween(15_892, 16_876);
    }
  }

  @Test
  void periodicAccessPatternsAreNotAliased() {
    // A loop that cycles through P keys: every position must be sampled about equally often in
    // the long run, and one sample must not predict the next one's position. The periods include
    // the Fibonacci numbers around 1024, the gaps an unmixed golden-ratio sequence takes.
    for (int period : new int[] {2, 3, 7, 64, 610, 987, 1024, 1597, 4096}) {
      Pattern p = sample(period, true);
      assertThat(p.chiSquarePerDegree).as("period " + period).isLessThan(1.5);
      assertThat(p.samePositionShare).as("period " + period).isLessThan(2.0 / period + 0.01);
    }
    assertThat(sample(1, true).distinctGaps).isGreaterThan(1_000);
  }

  @Test
  void negativeControl_theUnmixedSequenceIsAliased() {
    // Three-gap theorem: the raw sequence's samples are 610, 987 or 1597 operations apart.
    assertThat(sample(1, false).distinctGaps).isLessThanOrEqualTo(3);
    assertThat(sample(987, false).samePositionShare).isGreaterThan(0.2);
  }

  @Test
  void drawOnTheCallingThreadSamplesAtTheRequestedRate() {
    int sampled = 0;
    int n = 4_000_000;
    for (int i = 0; i < n; i++) {
      if (SampleDraw.draw(AT_MOST)) {
        sampled++;
      }
    }
    // Expected 3,906, sd 62.5: ±10 % is ±6 sd (this draw is random, not a fixed sequence).
    assertThat(sampled).isBetween(3_516, 4_297);
    assertThat(SampleDraw.draw(Integer.MAX_VALUE)).isTrue();
  }

  /** How the samples of a period-P access pattern fall. */
  private static final class Pattern {
    double chiSquarePerDegree;
    double samePositionShare;
    int distinctGaps;
  }

  private static Pattern sample(int period, boolean mixed) {
    long[] counts = new long[period];
    java.util.Set<Integer> gaps = new java.util.HashSet<>();
    long s = 0L;
    long total = 0;
    long samePosition = 0;
    int last = -1;
    for (int i = 0; i < N; i++) {
      s += step(1);
      boolean sampled = mixed ? SampleDraw.mix(s) <= AT_MOST : (int) (s >>> 32) <= AT_MOST;
      if (sampled) {
        counts[i % period]++;
        total++;
        if (last >= 0) {
          gaps.add(i - last);
          samePosition += (i - last) % period == 0 ? 1 : 0;
        }
        last = i;
      }
    }
    Pattern p = new Pattern();
    double expected = (double) total / period;
    double chi = 0;
    for (long c : counts) {
      chi += (c - expected) * (c - expected) / expected;
    }
    p.chiSquarePerDegree = period == 1 ? 0 : chi / (period - 1);
    p.samePositionShare = (double) samePosition / (total - 1);
    p.distinctGaps = gaps.size();
    return p;
  }
}

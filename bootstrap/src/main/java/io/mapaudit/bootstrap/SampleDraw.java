package io.mapaudit.bootstrap;

import java.util.concurrent.ThreadLocalRandom;
import jdk.internal.misc.Unsafe;
import jdk.internal.vm.annotation.ForceInline;

/**
 * The per-operation sampling decision: a Bernoulli draw from the calling thread's own random
 * state, with no lookup, no lock and nothing shared.
 *
 * <p>The state is the thread's {@code ThreadLocalRandom} seed word in the {@code Thread} object,
 * advanced exactly as {@code ThreadLocalRandom.nextSeed()} advances it (the thread's own Weyl
 * step), so the application's {@code ThreadLocalRandom} sequence is unchanged in kind: the agent
 * consumes elements of it, as it did when it called {@code nextInt()}. What this class drops is
 * the rest of {@code nextInt()}: the probe check for an uninitialised generator and the second
 * multiply of its output mix. On a memory-bound two-thread {@code ConcurrentHashMap} loop those
 * instructions were a sixth of the throughput: fewer of them let more cache misses overlap
 * (BENCHMARKS.md, fourth pass).
 *
 * <p>Reading and writing that field takes {@code jdk.internal.misc.Unsafe}, which the agent
 * exports to the boot loader's unnamed module before the first draw
 * ({@code AgentInstaller.openJavaUtil}). Without the export (a JVM that refused it, or this class
 * used outside the agent) every draw is {@code ThreadLocalRandom.nextInt()}: same probability,
 * a few instructions more. {@link #source()} says which.
 */
public final class SampleDraw {
  /* The increment of ThreadLocalRandom's Weyl sequence (its GOLDEN_GAMMA). */
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private static final Unsafe U;
  private static final long SEED;
  private static final String FALLBACK_REASON;

  static {
    Unsafe u = null;
    long seed = -1L;
    String reason = null;
    try {
      // Throws IllegalAccessError when java.base does not export jdk.internal.misc to us.
      u = Unsafe.getUnsafe();
      seed = u.objectFieldOffset(Thread.class, "threadLocalRandomSeed");
    } catch (Throwable e) {
      u = null;
      reason = e.toString();
    }
    U = u;
    SEED = seed;
    FALLBACK_REASON = reason;
  }

  private SampleDraw() {}

  /**
   * True with probability {@code (atMost - Integer.MIN_VALUE + 1) / 2^32}: the caller's threshold
   * is the largest sampled value of a uniform int.
   */
  @ForceInline
  static boolean draw(int atMost) {
    if (U != null) {
      Thread t = Thread.currentThread();
      long s = U.getLong(t, SEED) + (t.getId() << 1) + GOLDEN_GAMMA;
      U.putLong(t, SEED, s);
      return mix(s) <= atMost;
    }
    return ThreadLocalRandom.current().nextInt() <= atMost;
  }

  /**
   * A uniform int from one Weyl-sequence element: the first round of SplitMix64's finaliser, high
   * half. One xor-shift and one multiply break the sequence's lattice (no fixed stride between
   * sampled operations, so a periodic access pattern is not aliased), which is all a Bernoulli
   * draw needs. Forced inline like {@link #draw}: under the windowed sampler most draws come in
   * short windows, and C2 left it out of line ("executed < MinInliningThreshold times").
   */
  @ForceInline
  static int mix(long s) {
    long z = (s ^ (s >>> 31)) * 0xbf58476d1ce4e5b9L;
    return (int) (z >>> 32);
  }

  /** {@code "thread-seed"} when draws use the thread's seed word, else {@code "ThreadLocalRandom"}. */
  public static String source() {
    return U != null ? "thread-seed" : "ThreadLocalRandom";
  }

  /** Why draws fall back to {@code ThreadLocalRandom} (null when they do not). */
  public static String fallbackReason() {
    return FALLBACK_REASON;
  }
}

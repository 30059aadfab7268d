package io.mapaudit.bootstrap;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The per-thread reentrancy guard checked before any other work on the hot path.
 *
 * <p>It holds its state in a {@link ThreadLocal}, whose table is not a {@code java.util} map, so
 * checking the guard can never re-enter instrumented code (BTrace crashed tracing {@code Map.get}
 * because its own engine used a map). Agent threads are marked once and then never recorded.
 */
public final class ReentrancyGuard {
  private static final ThreadLocal<ThreadState> STATE = new ThreadLocal<ThreadState>() {
    @Override
    protected ThreadState initialValue() {
      // A thread's first sampled operation gets here. A thread that never used ThreadLocalRandom
      // has seed 0, and SampleDraw would sample the same operation indices on every such thread:
      // this seeds it. (Not through SampleDraw: that class must initialise after the agent's
      // module export, and agent threads get here long before.)
      ThreadLocalRandom.current();
      return new ThreadState();
    }
  };

  private ReentrancyGuard() {}

  /** The calling thread's state, created on first use. */
  public static ThreadState state() {
    return STATE.get();
  }

  /** Marks the calling thread as an agent thread: none of its map operations is ever recorded. */
  public static void markAgentThread() {
    STATE.get().busy = 1 << 20;
  }

  /** True while the calling thread runs agent code or is an agent thread. */
  public static boolean inAgent() {
    return STATE.get().busy > 0;
  }
}

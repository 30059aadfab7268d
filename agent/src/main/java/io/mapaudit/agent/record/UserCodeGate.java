package io.mapaudit.agent.record;

import java.util.function.Supplier;

/**
 * Brackets the only application code the drainer ever runs — {@code hashCode()} of a key that is
 * not a JDK type, when a key is rendered — so that a key whose {@code hashCode} blocks cannot
 * hold back a report: when the drainer does not answer in time and is inside such a call, the
 * waiting thread builds the report itself ({@link #runWhileStuck}) while the drainer, if it ever
 * comes back, waits at {@link #exit} until that is done.
 *
 * <p>Every caller of {@link #enter} renders before it mutates drainer state (KeyRenderer's
 * callers evaluate the rendered key first), so drainer state is consistent whenever the drainer
 * is inside. A thread that has taken over never runs application code: {@link #enter} answers
 * false to it and the key renders as unknown.
 */
public final class UserCodeGate {
  /*
   * Design notes. The drainer publishes `inside` with a volatile write after its last mutation,
   * and the taker reads it under the monitor: the taker sees every mutation the drainer made
   * before entering user code. The drainer's exit takes the monitor, so it cannot run on into
   * drainer state while a taker holds it, and the taker's writes happen-before the drainer's
   * next read (FaultsIT: a key whose hashCode never returns on agent threads).
   */
  private volatile Thread inside;
  private Thread taker;

  /**
   * Called by the thread that is about to run application code. Returns false when that thread
   * is one that took over (it must not run application code), true otherwise.
   */
  public boolean enter() {
    Thread me = Thread.currentThread();
    synchronized (this) {
      if (taker == me) {
        return false;
      }
    }
    inside = me;
    return true;
  }

  /** Called after the application code returned or threw (only when {@link #enter} was true). */
  public void exit() {
    synchronized (this) {
      inside = null;
    }
  }

  /** True while some thread runs application code between {@link #enter} and {@link #exit}. */
  public boolean stuck() {
    return inside != null;
  }

  /**
   * Runs {@code work} on the calling thread if the drainer is inside application code, holding
   * it off drainer state meanwhile. Returns null when the drainer is not inside application code
   * (then it is merely slow, and its state is not safe to read from here).
   */
  public <T> T runWhileStuck(Supplier<T> work) {
    synchronized (this) {
      if (inside == null || inside == Thread.currentThread()) {
        return null;
      }
      taker = Thread.currentThread();
      try {
        return work.get();
      } finally {
        taker = null;
      }
    }
  }
}

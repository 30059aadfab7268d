package io.mapaudit.agent.instrument;

import io.mapaudit.bootstrap.MapAccessSink;
import io.mapaudit.bootstrap.ThreadState;
import io.mapaudit.bootstrap.WatchSlot;

/** A sink that throws from every callback: the host's map calls must not notice. */
final class ThrowingSink implements MapAccessSink {
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom() {
      super("deliberate failure in the sink");
    }
  }

  /**
   * Installs a throwing sink with every operation sampled. Kept here, not in the test class, so
   * that verifying the test class does not load the sink interface before the boot class path
   * holds it.
   */
  static void installSamplingEverything() {
    io.mapaudit.bootstrap.MapAccessDispatcher.install(new ThrowingSink(), 1, true);
  }

  @Override
  public long onSampledEnter(Object map, int op, Object key, Object arg, long now,
      ThreadState state) {
    throw new Boom();
  }

  @Override
  public void onSampledExit(Object map, int op, Object key, Object arg, Object result,
      Throwable thrown, long elapsedNanos, long now, ThreadState state) {
    throw new Boom();
  }

  @Override
  public void onSampledRead(Object map, int op, Object key, Object arg, ThreadState state) {
    throw new Boom();
  }

  @Override
  public void onWatchHit(WatchSlot slot, Object map, int op, Object key, ThreadState state) {
    throw new Boom();
  }

  @Override
  public void onConstructed(Object map, ThreadState state) {
    throw new Boom();
  }

  @Override
  public void onModifiedDuringIteration(Object map, Object iterator, Throwable thrown,
      ThreadState state) {
    throw new Boom();
  }
}

package io.mapaudit.bootstrap;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts throwables that advice or the agent's sink suppressed so the host never sees them, and
 * keeps the first one for the report and the tests (which fail when any occurred).
 *
 * <p>Thread-safe. {@link #record} never throws and allocates nothing after the first error.
 */
public final class AdviceErrors {
  private static final AtomicLong COUNT = new AtomicLong();
  private static final AtomicReference<Throwable> FIRST = new AtomicReference<>();

  private AdviceErrors() {}

  /** Called by the exception handler of every advice method and by the dispatcher. */
  public static void record(Throwable error) {
    COUNT.incrementAndGet();
    if (FIRST.get() == null) {
      FIRST.compareAndSet(null, error);
    }
  }

  /** Number of suppressed throwables since the JVM started (never reset: detach keeps history). */
  public static long count() {
    return COUNT.get();
  }

  /** The first suppressed throwable, or null. */
  public static Throwable first() {
    return FIRST.get();
  }
}

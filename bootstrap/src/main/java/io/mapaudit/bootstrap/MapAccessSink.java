package io.mapaudit.bootstrap;

/**
 * What the dispatcher calls on sampled operations and detector events. Implemented by the agent;
 * the dispatcher holds one in a volatile field that defaults to, and returns on detach to,
 * {@link #NOOP}.
 *
 * <p>Every method runs on the application thread inside the reentrancy guard: map operations it
 * performs are not recorded. Implementations must not block except for the bounded watchpoint
 * pause, and may throw: the dispatcher counts the throwable in {@link AdviceErrors} and the map
 * operation proceeds unchanged.
 */
public interface MapAccessSink {
  /** The sink that does nothing: installed before attach and after detach. */
  MapAccessSink NOOP = new Noop();

  /**
   * A sampled operation is about to run. May arm a watch slot and pause (bounded) inside the map
   * method. {@code now} is {@code System.nanoTime()} read just before the call; returns the time
   * at which the operation's own body starts: {@code now}, or a later reading when the sink
   * paused or did slow work (the operation's duration is timed from it). One clock read serves
   * both: a read costs ~28 ns on a kvm-clock VM, the largest single part of a sampled operation.
   */
  long onSampledEnter(Object map, int op, Object key, Object arg, long now, ThreadState state);

  /**
   * A sampled operation returned or threw.
   *
   * @param result the returned value (boxed for booleans), or null
   * @param thrown what the map method threw, or null
   * @param elapsedNanos time from the start {@link #onSampledEnter} returned to the exit advice
   *     (at least 1: the recorders read 0 or less as "not timed")
   * @param now the {@code System.nanoTime()} reading at the exit that {@code elapsedNanos} ends
   *     at, for the sink to reuse instead of reading the clock again
   */
  void onSampledExit(Object map, int op, Object key, Object arg, Object result, Throwable thrown,
      long elapsedNanos, long now, ThreadState state);

  /**
   * A sampled read of a {@code HashMap} or {@code LinkedHashMap} ({@code get},
   * {@code getOrDefault}, {@code containsKey}), seen before it runs: those reads have enter advice
   * only (MapAdvice.KeyedRead in the agent), so there is no {@link #onSampledExit}. Takes the
   * place of both callbacks; may pause (bounded) like {@link #onSampledEnter}.
   */
  void onSampledRead(Object map, int op, Object key, Object arg, ThreadState state);

  /** Another thread entered a map that {@code slot} is watching. Called for every operation. */
  void onWatchHit(WatchSlot slot, Object map, int op, Object key, ThreadState state);

  /** A sampled map construction completed ({@code map} is fully initialised). */
  void onConstructed(Object map, ThreadState state);

  /**
   * An iterator over a non-thread-safe map ended ({@code hasNext} returned false) or failed
   * ({@code next} threw) while the map's modification count no longer matches the iterator's:
   * the map was structurally modified, not through the iterator, while it was live. Called for
   * every iterator, sampled or not, since this is rare and is proof.
   */
  void onModifiedDuringIteration(Object map, Object iterator, Throwable thrown, ThreadState state);

  /** The no-op sink. */
  final class Noop implements MapAccessSink {
    private Noop() {}

    @Override
    public long onSampledEnter(Object map, int op, Object key, Object arg, long now,
        ThreadState state) {
      return now;
    }

    @Override
    public void onSampledExit(Object map, int op, Object key, Object arg, Object result,
        Throwable thrown, long elapsedNanos, long now, ThreadState state) {}

    @Override
    public void onSampledRead(Object map, int op, Object key, Object arg, ThreadState state) {}

    @Override
    public void onWatchHit(WatchSlot slot, Object map, int op, Object key, ThreadState state) {}

    @Override
    public void onConstructed(Object map, ThreadState state) {}

    @Override
    public void onModifiedDuringIteration(Object map, Object iterator, Throwable thrown,
        ThreadState state) {}
  }
}

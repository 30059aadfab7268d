package io.mapaudit.agent.record;

import io.mapaudit.bootstrap.AdviceErrors;
import io.mapaudit.bootstrap.MapAccessDispatcher;
import io.mapaudit.bootstrap.ReentrancyGuard;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The ticker of {@code sampler=windows}: opens the dispatcher's sampling window for short stretches
 * at random times, so that the unsampled path is a single read (see {@link MapAccessDispatcher},
 * which also states what this costs in count accuracy).
 *
 * <p>Contract: over time every operation is sampled with probability 1/{@code interval}. A window
 * opens after a closed gap drawn uniformly from [0.5, 1.5] of its mean, so its position does not
 * lock onto a periodic workload; inside it each operation is sampled with probability
 * 1/(interval·d), where d is the measured share of time the window was open (an exponentially
 * weighted average over the last ~50 cycles, since {@code parkNanos} overshoots). The in-window
 * probability aims at {@link #IN_WINDOW_INTERVAL}, so d ≈ 16/interval: 1.6 % of the time at the
 * default 1/1024, when operations pay a random draw (~3 ns) instead of the gate read alone.
 *
 * <p>One daemon thread, marked as an agent thread; about 200 wake-ups a second.
 */
public final class SamplingWindows {
  /** Mean length of one closed-then-open cycle. */
  static final long CYCLE_NANOS = 10_000_000L;
  /** Aimed 1-in-how-many inside an open window. */
  static final double IN_WINDOW_INTERVAL = 16.0;
  private static final double SMOOTHING = 0.02;

  private final int interval;
  private final double targetDuty;
  private final Thread thread;
  private volatile boolean running = true;
  private double duty;

  /** A ticker for {@code interval} (must be above {@link MapAccessDispatcher#WINDOWED_ABOVE}). */
  public SamplingWindows(int interval) {
    if (!MapAccessDispatcher.windowed(interval)) {
      throw new IllegalArgumentException("interval " + interval + " needs no windows");
    }
    this.interval = interval;
    this.targetDuty = Math.min(1.0, IN_WINDOW_INTERVAL / interval);
    this.duty = targetDuty;
    this.thread = new Thread(this::run, "mapaudit-sampler");
    thread.setDaemon(true);
  }

  /** Starts the ticker. */
  public void start() {
    thread.start();
  }

  /** Stops the ticker and closes the window; waits at most {@code millis} for the thread. */
  public void stop(long millis) {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    MapAccessDispatcher.closeWindow();
  }

  /** The measured share of time the window is open (0..1). */
  public double duty() {
    return duty;
  }

  private void run() {
    ReentrancyGuard.markAgentThread();
    SplittableRandom random = new SplittableRandom();
    long openNanos = Math.max(1L, (long) (targetDuty * CYCLE_NANOS));
    long closedMean = CYCLE_NANOS - openNanos;
    long lastClose = System.nanoTime();
    long cycles = 1; // the prior (targetDuty) counts as one observation
    try {
      while (running) {
        if (closedMean > 0L) {
          sleepUntil(System.nanoTime() + (long) (closedMean * (0.5 + random.nextDouble())));
        }
        if (!running) {
          break;
        }
        long opened = System.nanoTime();
        MapAccessDispatcher.openWindow(1.0 / (interval * duty));
        sleepUntil(opened + openNanos);
        MapAccessDispatcher.closeWindow();
        long closed = System.nanoTime();
        double measured = (double) (closed - opened) / Math.max(1L, closed - lastClose);
        // A plain average over the first cycles, so that start-up converges within ~1/SMOOTHING.
        duty += Math.max(SMOOTHING, 1.0 / ++cycles) * (Math.min(1.0, measured) - duty);
        lastClose = closed;
      }
    } catch (Throwable e) {
      AdviceErrors.record(e);
    } finally {
      MapAccessDispatcher.closeWindow();
    }
  }

  private void sleepUntil(long deadline) {
    for (long left; running && (left = deadline - System.nanoTime()) > 0L; ) {
      LockSupport.parkNanos(this, left);
    }
  }
}

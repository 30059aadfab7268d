package io.mapaudit.agent.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class DrainerTest {
  /* A tick that never comes within a test: only a wake-up or a task can make this drainer drain. */
  private static final long NEVER_MILLIS = TimeUnit.HOURS.toMillis(1);

  @Test
  void sleepingDrainer_isWokenByTheOfferThatLeavesHalfARingWaiting() throws Exception {
    CountDownLatch all = new CountDownLatch(8);
    Drainer drainer = new Drainer((ring, map, key, arg, site, op, flags, nanos, weight) ->
        all.countDown(), now -> { }, new UserCodeGate(), NEVER_MILLIS);
    RecordRing ring = new RecordRing(Thread.currentThread(), 16, drainer);
    drainer.register(ring);
    drainer.start();
    try {
      // The drainer takes the new ring, finds it empty and goes to sleep until the hour-long tick.
      assertThat(drainer.call(() -> ring.pending(), 30_000)).isZero();
      for (int i = 0; i < 8; i++) {
        ring.offer("map", null, null, null, 0, 0, 1L);
      }
      // The eighth record of sixteen woke it (parkNanos may also return early, but not for long:
      // without the wake-up this waits for the tick and fails).
      assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(ring.dropped()).isZero();
    } finally {
      drainer.stop(5_000);
    }
  }

  @Test
  void sleepingDrainer_producerFasterThanTheRing_dropsNothingWhileItKeepsUp() throws Exception {
    AtomicInteger drained = new AtomicInteger();
    Drainer drainer = new Drainer((ring, map, key, arg, site, op, flags, nanos, weight) ->
        drained.incrementAndGet(), now -> { }, new UserCodeGate(), NEVER_MILLIS);
    RecordRing ring = new RecordRing(Thread.currentThread(), 64, drainer);
    drainer.register(ring);
    drainer.start();
    try {
      int total = 0;
      for (int batch = 0; batch < 50; batch++) {
        // Half a ring per batch, then wait for the drain it triggered: a lost wake-up would leave
        // the drainer asleep for the hour-long tick and the wait below would time out.
        for (int i = 0; i < 32; i++) {
          assertThat(ring.offer("map", null, null, null, 0, 0, 1L)).isTrue();
        }
        total += 32;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ring.pending() > 0 && System.nanoTime() - deadline < 0) {
          Thread.onSpinWait();
        }
        assertThat(ring.pending()).as("batch %d drained", batch).isZero();
      }
      assertThat(drainer.call(drained::get, 30_000)).isEqualTo(total);
      assertThat(ring.dropped()).isZero();
    } finally {
      drainer.stop(5_000);
    }
  }
}

package io.mapaudit.agent.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class DrainerTest {
  /* A tick that never comes within a test: only a wake-up or a task can make this drainer drain. */
  private static final long NEVER_MILLIS = TimeUnit.HOURS.toMillis(1);

  @Test
  void sleepingDrainer_isWokenEachTimeARingIsHalfFull_andDropsNothing() throws Exception {
    AtomicInteger drained = new AtomicInteger();
    Drainer drainer = new Drainer((ring, map, key, arg, site, op, flags, nanos, weight) ->
        drained.incrementAndGet(), now -> { }, new UserCodeGate(), NEVER_MILLIS);
    RecordRing ring = new RecordRing(Thread.currentThread(), 64, drainer);
    drainer.register(ring);
    drainer.start();
    try {
      int total = 50 * 64;
      for (int i = 0; i < total; i++) {
        assertThat(ring.offer("map", null, null, null, 0, 0, 1L)).as("record %d", i).isTrue();
        if (ring.pending() >= 32) {
          // Half the ring waits: that offer woke the drainer, which must now catch up. A lost
          // wake-up would leave it asleep for the hour-long tick and this wait would time out.
          // (While records keep coming the drainer may stay awake and the count never gets here.)
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (ring.pending() >= 32 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
          }
          assertThat(ring.pending()).as("drained after record %d", i).isLessThan(32);
        }
      }
      assertThat(drainer.call(drained::get, 30_000)).isEqualTo(total);
      assertThat(ring.dropped()).isZero();
    } finally {
      drainer.stop(5_000);
    }
  }

  @Test
  void call_afterStop_returnsNullAtOnce_insteadOfWaitingOutItsTimeout() throws Exception {
    Drainer drainer = new Drainer((ring, map, key, arg, site, op, flags, nanos, weight) -> { },
        now -> { }, new UserCodeGate(), NEVER_MILLIS);
    drainer.start();
    assertThat(drainer.call(() -> "answered", 30_000)).isEqualTo("answered");
    drainer.stop(5_000);
    boolean[] ran = new boolean[1];
    // An hour-long timeout: only the early return can finish this within the test's limit.
    String answer = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> drainer.call(() -> {
          ran[0] = true;
          return "late";
        }, TimeUnit.HOURS.toMillis(1)));
    assertThat(answer).isNull();
    assertThat(ran[0]).isFalse();
  }
}

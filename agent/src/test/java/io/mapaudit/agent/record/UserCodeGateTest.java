package io.mapaudit.agent.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.mapaudit.agent.heat.KeyMode;
import io.mapaudit.agent.heat.KeyRenderer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

final class UserCodeGateTest {
  /** hashCode blocks on the drainer until released; counts calls. */
  private static final class BlockingKey {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public int hashCode() {
      calls.incrementAndGet();
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 7;
    }
  }

  @Test
  void call_drainerStuckInKeyHashCode_callerBuildsResultAndDrainerWaits() throws Exception {
    UserCodeGate gate = new UserCodeGate();
    KeyRenderer renderer = new KeyRenderer(KeyMode.PLAIN, gate);
    AtomicReference<String> rendered = new AtomicReference<>();
    AtomicInteger accepted = new AtomicInteger();
    Drainer drainer = new Drainer((ring, map, key, arg, site, op, flags, nanos, weight) -> {
      rendered.set(renderer.render(key));
      accepted.incrementAndGet();
    }, now -> { }, gate);
    RecordRing ring = new RecordRing(Thread.currentThread(), 16);
    BlockingKey key = new BlockingKey();
    ring.offer(new Object(), key, null, null, 0, 0, 1L);
    drainer.register(ring);
    drainer.start();
    try {
      assertThat(key.entered.await(30, TimeUnit.SECONDS)).isTrue();
      // The drainer never answers; the caller builds the answer, and renders without user code.
      String answer = drainer.call(() -> "built:" + accepted.get() + ":"
          + renderer.render(new BlockingKey()), 50);
      assertThat(answer).isEqualTo("built:0:BlockingKey#?");
      assertThat(key.calls.get()).isEqualTo(1);
      key.release.countDown();
      assertThat(drainer.call(() -> accepted.get() + " " + rendered.get(), 30_000))
          .isEqualTo("1 BlockingKey#7");
    } finally {
      key.release.countDown();
      drainer.stop(5_000);
    }
  }

  @Test
  void call_drainerMerelyBusy_noTakeover() {
    UserCodeGate gate = new UserCodeGate();
    assertThat(gate.runWhileStuck(() -> "taken")).isNull();
    assertThat(gate.enter()).isTrue();
    gate.exit();
    assertThat(gate.stuck()).isFalse();
  }

  @Test
  void render_keyTypeWithSlowHashCode_notAskedAgain() {
    AtomicInteger calls = new AtomicInteger();
    final class SlowKey {
      @Override
      public int hashCode() {
        calls.incrementAndGet();
        try {
          Thread.sleep(20); // over KeyRenderer.SLOW_HASH_MILLIS
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return 5;
      }
    }
    KeyRenderer renderer = new KeyRenderer(KeyMode.PLAIN);
    assertThat(renderer.render(new SlowKey())).isEqualTo("SlowKey#5");
    assertThat(renderer.render(new SlowKey())).isEqualTo("SlowKey#?");
    assertThat(new KeyRenderer(KeyMode.HASH).render(new SlowKey())).startsWith("h:");
    assertThat(calls.get()).isEqualTo(2);
  }
}

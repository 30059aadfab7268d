package io.mapaudit.agent.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

final class RecordRingTest {
  @Test
  void offer_full_dropsAndCounts() {
    RecordRing ring = new RecordRing(Thread.currentThread(), 16);
    int accepted = 0;
    for (int i = 0; i < 40; i++) {
      if (ring.offer("map", "k" + i, null, null, 1, 0, i)) {
        accepted++;
      }
    }
    assertThat(accepted).isEqualTo(16);
    assertThat(ring.dropped()).isEqualTo(24);
    assertThat(ring.pending()).isEqualTo(16);
  }

  @Test
  void offer_wakesTheConsumer_fromTheRecordThatLeavesHalfTheRingWaiting() {
    int[] wakes = new int[1];
    RecordRing ring = new RecordRing(Thread.currentThread(), 16, () -> wakes[0]++);
    for (int i = 0; i < 7; i++) {
      ring.offer("map", null, null, null, 0, 0, 0);
    }
    assertThat(wakes[0]).isZero();
    assertThat(ring.backlogged()).isFalse();
    ring.offer("map", null, null, null, 0, 0, 0);
    assertThat(wakes[0]).isEqualTo(1);
    assertThat(ring.backlogged()).isTrue();
    ring.offer("map", null, null, null, 0, 0, 0);
    assertThat(wakes[0]).as("still behind: every offer wakes").isEqualTo(2);

    ring.drain((r, m, key, arg, site, op, flags, nanos, weight) -> { });
    assertThat(ring.backlogged()).isFalse();
    for (int i = 0; i < 7; i++) {
      ring.offer("map", null, null, null, 0, 0, 0);
    }
    assertThat(wakes[0]).as("drained: the count starts again").isEqualTo(2);
    ring.offer("map", null, null, null, 0, 0, 0);
    assertThat(wakes[0]).isEqualTo(3);
  }

  @Test
  void offer_afterDrops_nextRecordCarriesTheirWeight() {
    RecordRing ring = new RecordRing(Thread.currentThread(), 16);
    for (int i = 0; i < 16 + 5; i++) {
      ring.offer("map", null, null, null, 0, 0, 0);
    }
    List<Integer> weights = new ArrayList<>();
    ring.drain((r, m, key, arg, site, op, flags, nanos, weight) -> weights.add(weight));
    ring.offer("map", null, null, null, 0, 0, 0);
    ring.offer("map", null, null, null, 0, 0, 0);
    ring.drain((r, m, key, arg, site, op, flags, nanos, weight) -> weights.add(weight));
    assertThat(weights.subList(0, 16)).containsOnly(1);
    assertThat(weights.subList(16, 18)).containsExactly(6, 1);
    long total = 0;
    for (int w : weights) {
      total += w;
    }
    assertThat(total).isEqualTo(16 + 5 + 2);
  }

  @Test
  void drain_inOrder_thenRoomAgain() {
    RecordRing ring = new RecordRing(Thread.currentThread(), 16);
    for (int i = 0; i < 10; i++) {
      ring.offer("map", "k" + i, null, null, i, 0, i);
    }
    List<Object> keys = new ArrayList<>();
    assertThat(ring.drain((r, map, key, arg, site, op, flags, nanos, weight) -> keys.add(key))).isEqualTo(10);
    assertThat(keys).containsExactly("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9");
    for (int i = 0; i < 16; i++) {
      assertThat(ring.offer("map", "x", null, null, 0, 0, 0)).isTrue();
    }
    assertThat(ring.dropped()).isZero();
  }

  @Test
  void drain_clearsReferences_soMapsAndKeysCanBeCollected() throws Exception {
    RecordRing ring = new RecordRing(Thread.currentThread(), 16);
    Object map = new Object();
    java.lang.ref.WeakReference<Object> ref = new java.lang.ref.WeakReference<>(map);
    ring.offer(map, null, null, null, 0, 0, 0);
    map = null;
    ring.drain((r, m, key, arg, site, op, flags, nanos, weight) -> { });
    for (int i = 0; i < 50 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(ref.get()).isNull();
  }

  @Test
  void offerAndDrain_concurrently_noRecordLostOrDuplicated() throws Exception {
    RecordRing ring = new RecordRing(Thread.currentThread(), 64);
    int total = 200_000;
    CountDownLatch started = new CountDownLatch(1);
    long[] sum = new long[1];
    long[] count = new long[1];
    Thread consumer = new Thread(() -> {
      started.countDown();
      while (count[0] + ring.dropped() < total || ring.pending() > 0) {
        ring.drain((r, m, key, arg, site, op, flags, nanos, weight) -> {
          sum[0] += nanos;
          count[0]++;
        });
      }
    });
    consumer.start();
    started.await();
    long offeredSum = 0;
    for (int i = 1; i <= total; i++) {
      if (ring.offer("m", null, null, null, 0, 0, i)) {
        offeredSum += i;
      }
    }
    consumer.join(30_000);
    assertThat(consumer.isAlive()).isFalse();
    assertThat(count[0] + ring.dropped()).isEqualTo(total);
    assertThat(sum[0]).isEqualTo(offeredSum);
  }
}

package io.mapaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class PaymentRouterTest {

  private static final int WRITERS = 2;
  private static final int ORDERS_PER_WRITER = 20_000;

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void route_concurrentWritersInBuggyMode_losesEntries() throws Exception {
    PaymentRouter router = new PaymentRouter(false);
    for (int round = 0; round < 50 && router.lostEntries() == 0; round++) {
      routeConcurrently(router, round);
      router.reconcile();
    }

    assertThat(router.lostEntries()).isPositive();
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void route_concurrentWritersInFixedMode_losesNothing() throws Exception {
    PaymentRouter router = new PaymentRouter(true);
    for (int round = 0; round < 3; round++) {
      routeConcurrently(router, round);
      router.reconcile();
    }

    assertThat(router.lostEntries()).isZero();
    assertThat(router.reconciledOrders()).isEqualTo(3L * WRITERS * ORDERS_PER_WRITER);
  }

  /** Writers lined up on a barrier, each routing its own distinct orders. */
  private static void routeConcurrently(PaymentRouter router, int round) throws Exception {
    CyclicBarrier start = new CyclicBarrier(WRITERS);
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      String prefix = "order-" + round + "-" + w + "-";
      Thread writer = new Thread(() -> {
        await(start);
        for (int i = 0; i < ORDERS_PER_WRITER; i++) {
          router.route(prefix + i, "AUTHORIZED");
        }
      });
      writer.setDaemon(true);
      writers.add(writer);
      writer.start();
    }
    for (Thread writer : writers) {
      writer.join();
    }
  }

  static void await(CyclicBarrier barrier) {
    try {
      barrier.await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.mapaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class IdempotencyStoreTest {

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void pay_twoRetriesInsideTheCheckInBuggyMode_chargesTwiceAndCountsIt() throws Exception {
    // The provider lets a charge finish only once both retries are charging: both passed the check.
    CyclicBarrier bothCharging = new CyclicBarrier(2);
    IdempotencyStore store = new IdempotencyStore(false, orderId -> PaymentRouterTest.await(bothCharging));

    runTogether(() -> store.pay("order-1", "merchant-0"), () -> store.pay("order-1", "merchant-0"));

    assertThat(store.chargedCount()).isEqualTo(2);
    assertThat(store.doubleProcessedCount()).isEqualTo(1);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void pay_concurrentRetriesInBuggyMode_doubleProcessesWithinBoundedAttempts() throws Exception {
    IdempotencyStore store = new IdempotencyStore(false, IdempotencyStore.simulatedProvider());
    for (int attempt = 0; attempt < 2_000 && store.doubleProcessedCount() == 0; attempt++) {
      String order = "order-" + attempt;
      runTogether(() -> store.pay(order, "merchant-0"), () -> store.pay(order, "merchant-0"));
    }

    assertThat(store.doubleProcessedCount()).isPositive();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void pay_concurrentRetriesInFixedMode_chargesEachOrderOnce() throws Exception {
    AtomicInteger providerCalls = new AtomicInteger();
    IdempotencyStore store = new IdempotencyStore(true, orderId -> providerCalls.incrementAndGet());
    int attempts = 300;
    for (int attempt = 0; attempt < attempts; attempt++) {
      String order = "order-" + attempt;
      runTogether(() -> store.pay(order, "merchant-0"), () -> store.pay(order, "merchant-0"));
    }

    assertThat(providerCalls).hasValue(attempts);
    assertThat(store.chargedCount()).isEqualTo(attempts);
    assertThat(store.duplicatesRejectedCount()).isEqualTo(attempts);
    assertThat(store.doubleProcessedCount()).isZero();
    assertThat(store.paymentsOf("merchant-0")).isEqualTo(attempts);
    assertThat(store.lostIncrements()).isZero();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void countPayment_concurrentIncrementsInBuggyMode_losesIncrements() throws Exception {
    IdempotencyStore store = new IdempotencyStore(false, IdempotencyStore.simulatedProvider());
    int expected = 0;
    for (int round = 0; round < 50 && store.paymentsOf("merchant-0") == expected; round++) {
      runTogether(() -> increment(store, 20_000), () -> increment(store, 20_000));
      expected += 40_000;
    }

    assertThat(store.paymentsOf("merchant-0")).isLessThan(expected);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void countPayment_concurrentIncrementsInFixedMode_countsEveryOne() throws Exception {
    IdempotencyStore store = new IdempotencyStore(true, IdempotencyStore.simulatedProvider());

    runTogether(() -> increment(store, 50_000), () -> increment(store, 50_000));

    assertThat(store.paymentsOf("merchant-0")).isEqualTo(100_000);
  }

  @Test
  void expire_entriesOlderThanRetention_areForgotten() {
    IdempotencyStore store = new IdempotencyStore(true, orderId -> { });
    store.pay("order-1", "merchant-0");

    store.expire(System.currentTimeMillis() + IdempotencyStore.RETENTION_MILLIS + 1_000);

    assertThat(store.pay("order-1", "merchant-0")).isTrue();
  }

  private static void increment(IdempotencyStore store, int times) {
    for (int i = 0; i < times; i++) {
      store.countPayment("merchant-0");
    }
  }

  /**
   * Runs both tasks on their own threads and waits for both. A CyclicBarrier lines the threads up;
   * a spin handshake then releases them within about a hundred nanoseconds of each other (waking a
   * parked thread alone takes tens of microseconds, longer than the race window).
   */
  static void runTogether(Runnable first, Runnable second) throws InterruptedException {
    CyclicBarrier lineUp = new CyclicBarrier(2);
    AtomicInteger ready = new AtomicInteger();
    Thread a = new Thread(() -> startTogether(lineUp, ready, first));
    Thread b = new Thread(() -> startTogether(lineUp, ready, second));
    a.setDaemon(true);
    b.setDaemon(true);
    a.start();
    b.start();
    a.join();
    b.join();
  }

  private static void startTogether(CyclicBarrier lineUp, AtomicInteger ready, Runnable task) {
    PaymentRouterTest.await(lineUp);
    ready.incrementAndGet();
    long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    while (ready.get() < 2 && System.nanoTime() - giveUp < 0) {
      Thread.onSpinWait();
    }
    task.run();
  }
}

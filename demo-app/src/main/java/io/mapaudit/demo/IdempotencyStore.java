package io.mapaudit.demo;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Payment idempotency. A thread-safe {@code ConcurrentHashMap} used with check-then-act: two
 * concurrent retries of one order both see {@code processed.get(orderId) == null} and both charge
 * it; the per-merchant counter {@code counts.put(k, counts.get(k) + 1)} loses increments the same
 * way. Fixed: claim the order with {@code putIfAbsent} before charging, count with {@code merge}.
 */
final class IdempotencyStore {

  /** Charges a payment; the real service calls the payment provider here. */
  @FunctionalInterface
  interface PaymentProvider {
    void charge(String orderId);
  }

  /** How long a processed order id is remembered; retries arrive within seconds. */
  static final long RETENTION_MILLIS = 10_000;

  private final boolean fixed;
  private final PaymentProvider provider;
  private final ConcurrentHashMap<String, Long> processed = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();
  private final LongAdder charged = new LongAdder();
  private final LongAdder doubleProcessed = new LongAdder();
  private final LongAdder duplicatesRejected = new LongAdder();

  IdempotencyStore(boolean fixed, PaymentProvider provider) {
    this.fixed = fixed;
    this.provider = provider;
  }

  /** A provider that spends about two microseconds, like preparing the provider request. */
  static PaymentProvider simulatedProvider() {
    return orderId -> LoadGenerator.requestWork();
  }

  /**
   * Charges {@code orderId} unless it was already processed.
   *
   * @return whether this call charged the order
   */
  boolean pay(String orderId, String merchant) {
    long now = System.currentTimeMillis();
    if (fixed) {
      if (processed.putIfAbsent(orderId, now) != null) {
        duplicatesRejected.increment();
        return false;
      }
      charge(orderId, merchant);
      return true;
    }
    if (processed.get(orderId) == null) { // BUG: check ...
      charge(orderId, merchant);
      if (processed.put(orderId, now) != null) { // ... then act: a concurrent retry charged it too
        doubleProcessed.increment();
      }
      return true;
    }
    duplicatesRejected.increment();
    return false;
  }

  private void charge(String orderId, String merchant) {
    provider.charge(orderId);
    countPayment(merchant);
    charged.increment(); // after the count: see lostIncrements()
  }

  /** Payments per merchant, as the settlement report reads them. */
  void countPayment(String merchant) {
    if (fixed) {
      counts.merge(merchant, 1, Integer::sum);
      return;
    }
    Integer count = counts.get(merchant); // BUG: read ...
    counts.put(merchant, count == null ? 1 : count + 1); // ... modify, write: concurrent increments are lost
  }

  /** Forgets processed orders older than the retention window; thread-safe. */
  void expire(long nowMillis) {
    processed.values().removeIf(at -> at < nowMillis - RETENTION_MILLIS);
  }

  long chargedCount() {
    return charged.sum();
  }

  long doubleProcessedCount() {
    return doubleProcessed.sum();
  }

  long duplicatesRejectedCount() {
    return duplicatesRejected.sum();
  }

  /** Charges not reflected in the per-merchant counts (exact when no payment is in flight). */
  long lostIncrements() {
    long payments = charged.sum(); // read first: every charge it includes was counted before
    long counted = 0;
    for (int count : counts.values()) {
      counted += count;
    }
    return Math.max(0, payments - counted);
  }

  /** The per-merchant count of {@code merchant}, 0 when none. */
  int paymentsOf(String merchant) {
    Integer count = counts.get(merchant);
    return count == null ? 0 : count;
  }
}

package io.mapaudit.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Payment routing. The order-state cache is a plain {@code HashMap} written by several request
 * threads at once with no lock: concurrent puts lose entries (mostly while the table resizes) and
 * corrupt its size, so routed orders later "vanish". Fixed: a {@code ConcurrentHashMap}.
 *
 * <p>{@link #reconcile()} counts the orders routed since the last reconciliation that are missing
 * from the cache, then starts a new cache (the routing window).
 */
final class PaymentRouter {

  /*
   * The read/write lock is the demo's own bookkeeping, not a fix: every router thread takes the
   * SHARED read lock, so router threads still write the HashMap concurrently (a watchpoint sees
   * them overlap inside put); only reconcile() takes the write lock, so that it counts lost
   * entries in a quiescent map and its own reads are no race.
   */
  private final boolean fixed;
  private final ReadWriteLock window = new ReentrantReadWriteLock();
  private Map<String, String> orderStates;
  private Set<String> routedOrders;
  private final LongAdder routed = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private final LongAdder reconciled = new LongAdder();

  PaymentRouter(boolean fixed) {
    this.fixed = fixed;
    startWindow();
  }

  /** Records the state of an order; safe to call from any thread (the cache is the bug). */
  void route(String orderId, String state) {
    window.readLock().lock();
    try {
      routedOrders.add(orderId);
      orderStates.put(orderId, state); // BUG (buggy mode): HashMap written by several threads
      routed.increment();
    } finally {
      window.readLock().unlock();
    }
  }

  /** Counts the routed orders missing from the cache and starts a new routing window. */
  void reconcile() {
    window.writeLock().lock();
    try {
      long missing = 0;
      for (String orderId : routedOrders) {
        if (!orderStates.containsKey(orderId)) {
          missing++;
        }
      }
      lost.add(missing);
      reconciled.add(routedOrders.size());
      startWindow();
    } finally {
      window.writeLock().unlock();
    }
  }

  private void startWindow() {
    orderStates = fixed ? new ConcurrentHashMap<>() : new HashMap<>();
    routedOrders = ConcurrentHashMap.newKeySet();
  }

  long routedCount() {
    return routed.sum();
  }

  /** Orders routed, then missing from the cache at a reconciliation. */
  long lostEntries() {
    return lost.sum();
  }

  /** Distinct orders checked by reconciliations so far. */
  long reconciledOrders() {
    return reconciled.sum();
  }
}

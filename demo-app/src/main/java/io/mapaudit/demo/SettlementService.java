package io.mapaudit.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Redemption settlement. Fund balances are cached in a {@code HashMap} preloaded at startup; funds
 * launched today are missing from it, so the buggy {@code balances.getOrDefault(product, 0.0)} reads
 * their balance as 0.0 and every redemption of them is silently skipped as "insufficient balance".
 * Fixed: a missing balance is loaded from the ledger into the cache before it is read, and a product
 * the ledger does not know is a clear error, never a zero.
 *
 * <p>Thread-safe: every access to the cache holds the cache's own monitor.
 */
final class SettlementService {

  /** Funds known to the cache at startup. */
  static final int LISTED_FUNDS = 20;
  /** Funds launched today: in the ledger, not in the preloaded cache. */
  static final int NEW_FUNDS = 3;
  static final double OPENING_BALANCE = 1.0e9;

  /** Thrown when a product is in neither the cache nor the ledger. */
  static final class UnknownProductException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnknownProductException(String product) {
      super("no balance for product '" + product + "' in the ledger");
    }
  }

  enum Outcome { SETTLED, SKIPPED }

  private final boolean fixed;
  private final Map<String, Double> ledger; // immutable: the system of record
  private final Map<String, Double> balances = new HashMap<>();
  private final LongAdder settled = new LongAdder();
  private final LongAdder skipped = new LongAdder();

  SettlementService(boolean fixed) {
    this.fixed = fixed;
    Map<String, Double> records = new HashMap<>();
    for (int i = 1; i <= LISTED_FUNDS; i++) {
      records.put(listedFund(i), OPENING_BALANCE);
      balances.put(listedFund(i), OPENING_BALANCE);
    }
    for (int i = 1; i <= NEW_FUNDS; i++) {
      records.put(newFund(i), OPENING_BALANCE);
    }
    this.ledger = Map.copyOf(records);
  }

  static String listedFund(int i) {
    return String.format("fund-%02d", i);
  }

  static String newFund(int i) {
    return "fund-new-" + i;
  }

  /**
   * Settles a redemption of {@code amount} against the product's balance.
   *
   * @throws UnknownProductException (fixed mode) when the ledger does not know the product
   */
  Outcome settle(String product, double amount) {
    synchronized (balances) {
      double balance;
      if (fixed) {
        balance = balanceFromCacheOrLedger(product);
      } else {
        balance = balances.getOrDefault(product, 0.0); // BUG: a fund launched today reads as 0.0
      }
      if (balance < amount) {
        skipped.increment(); // the incident: "insufficient balance" for a fund launched today
        return Outcome.SKIPPED;
      }
      balances.put(product, balance - amount);
      settled.increment();
      return Outcome.SETTLED;
    }
  }

  private double balanceFromCacheOrLedger(String product) {
    return balances.computeIfAbsent(product, p -> {
      Double recorded = ledger.get(p);
      if (recorded == null) {
        throw new UnknownProductException(p);
      }
      return recorded;
    });
  }

  long settledCount() {
    return settled.sum();
  }

  long skippedCount() {
    return skipped.sum();
  }
}

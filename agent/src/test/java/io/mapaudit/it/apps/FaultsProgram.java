package io.mapaudit.it.apps;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Faults around the agent (FaultsIT). {@code stall}: a key whose {@code hashCode} never returns
 * on any thread but the one that made it — it waits for a latch the application never opens, as a
 * key would that takes a lock its owner holds until exit — so the agent's drainer, which renders
 * keys, really hangs; the application then ends. {@code work}: a few plain map operations.
 * Prints {@code EXITING <epoch millis>} last, so the test can measure how long exit took.
 */
public final class FaultsProgram {
  private FaultsProgram() {}

  /** hashCode blocks forever on every thread but its creator's. */
  static final class OwnerOnlyKey {
    private static final CountDownLatch NEVER = new CountDownLatch(1);
    private final Thread owner = Thread.currentThread();
    private final int id;

    OwnerOnlyKey(int id) {
      this.id = id;
    }

    @Override
    public int hashCode() {
      while (Thread.currentThread() != owner) {
        try {
          NEVER.await();
        } catch (InterruptedException e) {
          // Keep blocking: this key is the fault under test.
        }
      }
      return id;
    }

    @Override
    public boolean equals(Object o) {
      return o == this;
    }
  }

  public static void main(String[] args) {
    Map<String, Integer> ledger = new HashMap<>();
    if (args[0].equals("stall")) {
      Map<Object, Integer> owned = new ConcurrentHashMap<>();
      OwnerOnlyKey k = new OwnerOnlyKey(1);
      for (int i = 0; i < 100; i++) {
        owned.put(k, i);
        owned.get(k);
      }
      System.out.println("owned " + owned.size());
    }
    for (int i = 0; i < 1000; i++) {
      ledger.merge("entry-" + (i % 10), 1, Integer::sum);
    }
    System.out.println("ledger " + ledger.size() + " " + ledger.get("entry-3"));
    System.out.println("EXITING " + System.currentTimeMillis());
  }
}

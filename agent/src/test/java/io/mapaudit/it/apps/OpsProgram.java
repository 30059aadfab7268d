package io.mapaudit.it.apps;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Performs a known number of operations on three maps, then exits (StartupIT). */
public final class OpsProgram {
  private OpsProgram() {}

  public static void main(String[] args) {
    Map<String, Integer> orders = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      orders.put("order-" + i, i);
    }
    int found = 0;
    for (int i = 0; i < 20; i++) {
      if (orders.get("order-" + (i % 10)) != null) {
        found++;
      }
    }
    orders.remove("order-3");
    orders.containsKey("order-4");

    Map<String, Integer> lru = new LinkedHashMap<>(16, 0.75f, true);
    for (int i = 0; i < 5; i++) {
      lru.put("p" + i, i);
    }
    for (int i = 0; i < 7; i++) {
      lru.get("p" + (i % 5));
    }

    Map<String, Integer> counts = new ConcurrentHashMap<>();
    for (int i = 0; i < 6; i++) {
      counts.merge("c" + (i % 2), 1, Integer::sum);
    }
    counts.putIfAbsent("c9", 9);
    System.out.println("found=" + found + " orders=" + orders.size() + " lru=" + lru.size()
        + " counts=" + counts.size());
  }
}

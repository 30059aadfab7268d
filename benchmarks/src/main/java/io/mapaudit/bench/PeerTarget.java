package io.mapaudit.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * The workload a peer tool is attached to: {@code HashMap.get} in a loop on the main thread,
 * printing "mops=N" (millions of gets per second) every 500 ms, for the given number of seconds.
 * If the loop dies, its exception is printed and the process exits with 3.
 */
public final class PeerTarget {
  private PeerTarget() {}

  public static void main(String[] args) {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Map<String, Integer> m = new HashMap<>();
    String[] keys = new String[1024];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "k" + i;
      m.put(keys[i], i);
    }
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long sum = 0;
    try {
      while (System.nanoTime() < end) {
        long start = System.nanoTime();
        long n = 0;
        while (System.nanoTime() - start < 500_000_000L) {
          for (int i = 0; i < 1024; i++) {
            sum += m.get(keys[i]);
          }
          n += 1024;
        }
        System.out.println("mops=" + (n / 0.5 / 1e6));
        System.out.flush();
      }
    } catch (Throwable e) {
      System.out.println("died: " + e);
      e.printStackTrace(System.out);
      System.out.flush();
      System.exit(3);
    }
    System.out.println("done " + sum);
  }
}

package io.mapaudit.bench;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The live JVM of the attach measurement: uses a map on a daemon thread (so the agent has
 * something to record) until its standard input closes. Prints "ready" once it runs.
 */
public final class AttachTarget {
  private AttachTarget() {}

  public static void main(String[] args) throws IOException {
    Thread worker = new Thread(() -> {
      Map<String, Integer> m = new HashMap<>();
      String[] keys = new String[1024];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = "k" + i;
      }
      long n = 0;
      while (true) {
        String k = keys[(int) (n++ & 1023)];
        m.merge(k, 1, Integer::sum);
        if ((n & 0xFFFF) == 0) {
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }, "attach-target-worker");
    worker.setDaemon(true);
    worker.start();
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // Runs until the harness closes our input.
    }
  }
}

package io.mapaudit.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application under two agents (CoexistenceIT): {@code put N} does N puts on one HashMap and
 * prints {@code PUT <map size> COUNTER <puts counted by the other agent> GREET <greeting>}.
 */
public final class CoexistProgram {
  private CoexistProgram() {}

  /** The other agent appends " [other agent]" to what this returns. */
  public static final class Greeter {
    public String greet() {
      return "hello";
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, Integer> orders = new HashMap<>();
    System.out.println("READY " + ProcessHandle.current().pid());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    int next = 0;
    for (String line; (line = in.readLine()) != null; ) {
      String[] cmd = line.trim().split(" ");
      if (cmd[0].equals("put")) {
        Object counter = System.getProperties().get("other.agent.puts");
        long before = counter instanceof AtomicLong ? ((AtomicLong) counter).get() : -1;
        int n = Integer.parseInt(cmd[1]);
        int from = next;
        next += n;
        // On a worker thread: main spent its stack-walk budget naming the other agent's
        // thousands of start-up maps (sampling=1), see agent.mapsWithoutSite.
        Thread worker = new Thread(() -> {
          for (int i = 0; i < n; i++) {
            orders.put("order-" + (from + i), i);
          }
        }, "app-worker");
        worker.start();
        worker.join();
        long after = counter instanceof AtomicLong ? ((AtomicLong) counter).get() : -1;
        System.out.println("PUT " + orders.size() + " COUNTER " + (after - before) + " GREET "
            + new Greeter().greet());
      } else if (cmd[0].equals("exit")) {
        System.out.println("BYE");
        return;
      }
    }
  }
}

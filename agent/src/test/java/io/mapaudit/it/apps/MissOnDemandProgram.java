package io.mapaudit.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Driven over stdin, for attach tests of the export: {@code miss} reads a missing balance
 * ({@code MISSED}); {@code after-detach <port>} waits (at most 10 s) until no export thread is
 * left and nothing listens on the port, then prints {@code EXPORT-THREADS n PORT-OPEN b};
 * {@code exit}.
 */
public final class MissOnDemandProgram {
  private MissOnDemandProgram() {}

  public static void main(String[] args) throws Exception {
    Map<String, Double> balances = new HashMap<>();
    balances.put("alice", 12.5);
    System.out.println("READY " + ProcessHandle.current().pid());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] cmd = line.trim().split(" ");
      switch (cmd[0]) {
        case "miss":
          System.out.println("MISSED " + balances.getOrDefault("bob", 0.0));
          break;
        case "after-detach":
          int port = Integer.parseInt(cmd[1]);
          long deadline = System.currentTimeMillis() + 10_000;
          long threads;
          boolean open;
          do {
            threads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("mapaudit-otel")
                    || t.getName().startsWith("BatchSpanProcessor")
                    || t.getName().startsWith("PeriodicMetricReader"))
                .count();
            open = listening(port);
            if (threads == 0 && !open) {
              break;
            }
            Thread.sleep(50);
          } while (System.currentTimeMillis() < deadline);
          System.out.println("EXPORT-THREADS " + threads + " PORT-OPEN " + open);
          break;
        case "exit":
          return;
        default:
          System.out.println("UNKNOWN " + line);
      }
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}

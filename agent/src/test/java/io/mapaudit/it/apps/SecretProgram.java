package io.mapaudit.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * Plants a secret map key everywhere the agent could show a key (SecurityIT): a missing key, a
 * default read for a missing key, a hot key, a lost update on a concurrent map, and a key object
 * whose {@code toString} is the secret. Never prints the secret itself. Driven over standard
 * input: {@code plant}, {@code work N}, {@code listen} (opens a loopback server socket, the
 * positive control of the listener check), {@code exit}.
 */
public final class SecretProgram {
  /** The planted secret; SecurityIT searches every output for {@link #MARK}. */
  public static final String MARK = "S3CR3T-";
  static final String SECRET = MARK + "9f2c41e7";

  private SecretProgram() {}

  /** A key whose toString is the secret: a renderer that called toString would leak it. */
  static final class SecretHolder {
    @Override
    public String toString() {
      return SECRET + "-holder";
    }
  }

  public static void main(String[] args) throws Exception {
    System.out.println("READY " + ProcessHandle.current().pid());
    List<ServerSocket> sockets = new ArrayList<>();
    Map<String, Integer> ledger = new HashMap<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] cmd = line.trim().split(" ");
      switch (cmd[0]) {
        case "plant":
          plant();
          System.out.println("PLANTED");
          break;
        case "work":
          int n = Integer.parseInt(cmd[1]);
          for (int i = 0; i < n; i++) {
            ledger.merge("entry-" + (i % 10), 1, Integer::sum);
          }
          System.out.println("DONE " + ledger.size());
          break;
        case "listen":
          ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          sockets.add(s);
          System.out.println("LISTENING " + s.getLocalPort());
          break;
        case "exit":
          for (ServerSocket s2 : sockets) {
            s2.close();
          }
          System.out.println("BYE");
          return;
        default:
          System.out.println("UNKNOWN " + line);
      }
    }
  }

  private static void plant() throws Exception {
    Map<String, Long> balances = new HashMap<>();
    balances.put("known", 1L);
    Map<Object, Integer> holders = new HashMap<>();
    SecretHolder holder = new SecretHolder();
    holders.put(holder, 1);
    Map<String, Integer> hot = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      balances.get(SECRET + "-missing");
      balances.getOrDefault(SECRET + "-default", 0L);
      hot.merge(SECRET + "-hot", 1, Integer::sum);
      hot.get(i % 4 == 0 ? "other-" + (i % 16) : SECRET + "-hot");
      holders.get(holder);
      holders.get(new SecretHolder());
    }
    lostUpdates();
  }

  /** Four threads read-then-write one counter of a ConcurrentHashMap: lost updates. */
  private static void lostUpdates() throws Exception {
    Map<String, Integer> counters = new ConcurrentHashMap<>();
    String key = SECRET + "-counter";
    counters.put(key, 0);
    CyclicBarrier start = new CyclicBarrier(4);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        while (System.nanoTime() < deadline) {
          Integer v = counters.get(key);
          counters.put(key, v + 1);
        }
      }, "counter-" + t);
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
  }
}

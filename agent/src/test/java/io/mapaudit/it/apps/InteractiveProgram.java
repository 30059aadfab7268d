package io.mapaudit.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A long-running program driven over standard input, for the dynamic-attach tests:
 * {@code work N} does N puts and N gets on one map and prints {@code DONE}; {@code entries}
 * prints how often the agent's dispatcher was entered (0 before any attach); {@code exit}.
 */
public final class InteractiveProgram {
  private InteractiveProgram() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> ledger = new HashMap<>();
    System.out.println("READY " + ProcessHandle.current().pid());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] cmd = line.trim().split(" ");
      switch (cmd[0]) {
        case "work":
          int n = Integer.parseInt(cmd[1]);
          long sum = 0;
          for (int i = 0; i < n; i++) {
            ledger.put("entry-" + i, i);
          }
          for (int i = 0; i < n; i++) {
            sum += ledger.get("entry-" + i);
          }
          System.out.println("DONE " + sum);
          break;
        case "entries":
          System.out.println("ENTRIES " + dispatcherEntries());
          break;
        case "exit":
          System.out.println("BYE");
          return;
        default:
          System.out.println("UNKNOWN " + line);
      }
    }
  }

  /** Reads the dispatcher's entry counter without linking to it (it may not be loaded). */
  private static long dispatcherEntries() throws Exception {
    try {
      Class<?> d = Class.forName("io.mapaudit.bootstrap.MapAccessDispatcher", true, null);
      return (Long) d.getMethod("entryCount").invoke(null);
    } catch (ClassNotFoundException e) {
      return 0L;
    }
  }
}

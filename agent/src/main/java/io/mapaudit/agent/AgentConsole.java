package io.mapaudit.agent;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's only way to the console. The host's stdout and stderr belong to the host: the agent
 * writes the exit summary, one-line warnings (each once) and, with {@code debug=true}, diagnostics
 * — all to stderr, all prefixed {@code mapaudit:}. Never initialises {@code java.util.logging}.
 */
public final class AgentConsole {
  private static volatile boolean debug;

  private AgentConsole() {}

  public static void setDebug(boolean on) {
    debug = on;
  }

  public static boolean debugEnabled() {
    return debug;
  }

  /** A diagnostic line, printed only with {@code debug=true}. */
  public static void debug(String message) {
    if (debug) {
      System.err.println("mapaudit: [debug] " + message);
    }
  }

  /** A one-line warning, printed once per {@code once} flag. */
  public static void warnOnce(AtomicBoolean once, String message) {
    if (once.compareAndSet(false, true)) {
      System.err.println("mapaudit: " + message);
    }
  }

  /** A line of the exit summary or a fatal one-line error. */
  public static void line(String message) {
    System.err.println("mapaudit: " + message);
  }
}

package io.mapaudit.demo;

import java.util.EnumSet;
import java.util.Set;

/**
 * Parsed command line of the demo app. {@link #parse} throws {@link IllegalArgumentException} with a
 * one-line message for any bad argument; {@link DemoApp} turns that into exit code 2.
 */
record DemoOptions(int seconds, int port, boolean fixed, boolean load, int rate, Set<Incident> incidents,
    boolean help) {

  static final String USAGE = String.join(System.lineSeparator(),
      "usage: java -jar mapaudit-demo-app.jar [options]",
      "  --seconds N      run N seconds, print the service's counters and exit 0 (default 20; 0 = until killed)",
      "  --port P         HTTP port on 127.0.0.1 (default 0 = ephemeral, printed at start)",
      "  --fixed          run the corrected code of every incident instead of the buggy code",
      "  --load           drive the incidents with the built-in load generator (default)",
      "  --no-load        serve HTTP only; no built-in load",
      "  --rate N         calls per second into each incident's map code (default 2000)",
      "  --only LIST      run only these incidents, comma-separated:",
      "                   settlement,routing,idempotency,refresh,metrics,hotkey",
      "  --skip LIST      run all incidents but these",
      "  --help           print this help");

  static final int DEFAULT_SECONDS = 20;
  static final int DEFAULT_RATE = 2000;

  static DemoOptions parse(String... args) {
    int seconds = DEFAULT_SECONDS;
    int port = 0;
    boolean fixed = false;
    boolean load = true;
    int rate = DEFAULT_RATE;
    Set<Incident> only = null;
    Set<Incident> skip = EnumSet.noneOf(Incident.class);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--seconds" -> seconds = intValue(arg, value(args, ++i, arg), 0, Integer.MAX_VALUE);
        case "--port" -> port = intValue(arg, value(args, ++i, arg), 0, 65535);
        case "--rate" -> rate = intValue(arg, value(args, ++i, arg), 1, 1_000_000);
        case "--fixed" -> fixed = true;
        case "--load" -> load = true;
        case "--no-load" -> load = false;
        case "--only" -> only = incidents(arg, value(args, ++i, arg));
        case "--skip" -> skip = incidents(arg, value(args, ++i, arg));
        case "--help", "-h" -> {
          return new DemoOptions(seconds, port, fixed, load, rate, EnumSet.allOf(Incident.class), true);
        }
        default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
      }
    }
    if (only != null && !skip.isEmpty()) {
      throw new IllegalArgumentException("--only and --skip cannot be combined");
    }
    Set<Incident> incidents = only != null ? only : EnumSet.allOf(Incident.class);
    incidents.removeAll(skip);
    if (incidents.isEmpty()) {
      throw new IllegalArgumentException("no incident left to run");
    }
    return new DemoOptions(seconds, port, fixed, load, rate, incidents, false);
  }

  boolean runs(Incident incident) {
    return incidents.contains(incident);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int intValue(String option, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    throw new IllegalArgumentException(
        option + " expects an integer in [" + min + ", " + max + "], got '" + value + "'");
  }

  private static Set<Incident> incidents(String option, String list) {
    Set<Incident> set = EnumSet.noneOf(Incident.class);
    for (String name : list.split(",", -1)) {
      if (name.isBlank()) {
        throw new IllegalArgumentException(option + " has an empty incident name in '" + list + "'");
      }
      set.add(Incident.fromCliName(name.trim()));
    }
    return set;
  }
}

package io.mapaudit.agent.record;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Finds the application frame that performed a map operation: the first frame outside the JDK
 * ({@code java.*}, {@code jdk.*}, {@code sun.*}, {@code com.sun.*}) and the agent. A stack walk
 * costs 1–2 µs, so callers capture only on sampled operations, rate-limited.
 */
public final class Sites {
  /** Frames kept in a finding's stack. */
  public static final int MAX_FRAMES = 32;
  private static final StackWalker WALKER = StackWalker.getInstance();

  private Sites() {}

  /*
   * Frames skipped to find who owns a map operation: the agent, the map classes themselves and the
   * JDK collection code that merely forwards to them (HashSet.add is HashMap.put for its caller).
   * The first frame after them is the owner. If the owner is JDK code (MethodType's intern table,
   * a class loader's lock map), the map is JDK-internal: its site starts with java./jdk./sun. and
   * the default filter leaves it out of the report.
   */
  private static final String[] FORWARDERS = {
    "java.util.HashMap", "java.util.LinkedHashMap", "java.util.HashSet",
    "java.util.LinkedHashSet", "java.util.AbstractMap", "java.util.AbstractCollection",
    "java.util.AbstractSet", "java.util.Collections$", "java.util.Map$", "java.util.Iterator",
    "java.lang.Iterable", "java.util.Spliterator", "java.util.concurrent.ConcurrentHashMap",
    "java.util.concurrent.ConcurrentMap"
  };

  /** True for frames of the agent or of the collection classes that forward to a map. */
  static boolean forwarding(String className) {
    if (className.startsWith("io.mapaudit.agent.") || className.startsWith("io.mapaudit.bootstrap.")
        || className.startsWith("io.mapaudit.shaded.") || className.equals("java.util.Map")) {
      return true;
    }
    for (String f : FORWARDERS) {
      if (className.startsWith(f)) {
        return true;
      }
    }
    return false;
  }

  /** True for frames of the JDK or of the agent itself. */
  public static boolean internal(String className) {
    return className.startsWith("java.") || className.startsWith("jdk.")
        || className.startsWith("sun.") || className.startsWith("com.sun.")
        || className.startsWith("javax.") || className.startsWith("org.w3c.")
        || className.startsWith("org.xml.sax.") || className.startsWith("org.ietf.jgss.")
        || className.startsWith("io.mapaudit.agent.") || className.startsWith("io.mapaudit.bootstrap.")
        || className.startsWith("io.mapaudit.shaded.");
  }

  /**
   * The frame that owns the operation: the first one past the agent and the forwarding collection
   * classes. It is JDK code ({@link #internal}) for the JDK's own maps; null if none.
   */
  public static StackTraceElement callerFrame() {
    return WALKER.walk(Sites::firstOwner);
  }

  /* A plain loop, not filter/findFirst: walks also run cold at JVM start, where a stream
     pipeline per walk costs far more than the walk (CoexistenceIT). */
  private static StackTraceElement firstOwner(java.util.stream.Stream<StackWalker.StackFrame> s) {
    java.util.Iterator<StackWalker.StackFrame> it = s.iterator();
    while (it.hasNext()) {
      StackWalker.StackFrame f = it.next();
      if (!forwarding(f.getClassName())) {
        return f.toStackTraceElement();
      }
    }
    return null;
  }

  /** The stack from the owning frame on, at most {@link #MAX_FRAMES} frames. */
  public static List<StackTraceElement> callerStack() {
    List<StackTraceElement> out = new ArrayList<>();
    WALKER.forEach(f -> {
      if (out.size() < MAX_FRAMES && (!out.isEmpty() || !forwarding(f.getClassName()))) {
        out.add(f.toStackTraceElement());
      }
    });
    return Collections.unmodifiableList(out);
  }

  /** {@code Class.method(File.java:line)}, the form every output uses; "unknown" for null. */
  public static String format(StackTraceElement e) {
    if (e == null) {
      return "unknown";
    }
    String file = e.getFileName();
    int line = e.getLineNumber();
    return e.getClassName() + "." + e.getMethodName() + "("
        + (file == null ? "Unknown Source" : line >= 0 ? file + ":" + line : file) + ")";
  }
}

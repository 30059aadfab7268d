package io.mapaudit.agent.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deduplicated finding: every {@link FindingEvent} with the same (kind, site, otherSite) adds to
 * its count. Drainer-thread only; the report copies what it needs.
 */
public final class Finding {
  private static final int MAX_THREADS = 16;
  private static final int MAX_KEYS = 8;

  final FindingKind kind;
  FindingKind.Severity severity;
  final String site;
  final String otherSite;
  String mapType;
  String mapId;
  final Set<String> threads = new LinkedHashSet<>();
  /** Rendered key → count, bounded; the most frequent is the finding's key. */
  final Map<String, Long> keys = new LinkedHashMap<>();
  long count;
  final long firstSeen;
  long lastSeen;
  List<StackTraceElement> stack;
  List<StackTraceElement> otherStack;
  String detail;
  /** The trace context of the latest event that had one (the request that last hit it). */
  Object traceContext;

  /** Exports still owed for this finding (new, or a rate-limited repeat). */
  boolean exportPending = true;
  long lastExportedCount;

  Finding(FindingKind kind, String site, String otherSite, long firstSeen) {
    this.kind = kind;
    this.site = site;
    this.otherSite = otherSite;
    this.firstSeen = firstSeen;
    this.severity = kind.defaultSeverity();
  }

  void add(FindingEvent e, String mapType, String mapId, String renderedKey) {
    count += e.weight;
    lastSeen = Math.max(lastSeen, e.timeMillis);
    if (e.severity.compareTo(severity) > 0) {
      severity = e.severity;
    }
    if (this.mapType == null && mapType != null) {
      this.mapType = mapType;
      this.mapId = mapId;
    }
    for (String t : e.threads) {
      if (threads.size() < MAX_THREADS) {
        threads.add(t);
      }
    }
    if (renderedKey != null && (keys.containsKey(renderedKey) || keys.size() < MAX_KEYS)) {
      keys.merge(renderedKey, e.weight, Long::sum);
    }
    if ((stack == null || stack.isEmpty()) && !e.stack.isEmpty()) {
      stack = new ArrayList<>(e.stack);
    }
    if ((otherStack == null || otherStack.isEmpty()) && !e.otherStack.isEmpty()) {
      otherStack = new ArrayList<>(e.otherStack);
    }
    if (detail == null) {
      detail = e.detail;
    }
    if (e.traceContext() != null) {
      traceContext = e.traceContext();
    }
  }

  /** Adds {@code count} to a rendered key's tally (drainer-side findings). */
  public void addKey(String renderedKey, long n) {
    if (renderedKey != null && (keys.containsKey(renderedKey) || keys.size() < MAX_KEYS)) {
      keys.merge(renderedKey, n, Long::sum);
    }
  }

  /** Raises the severity to at least {@code s}. */
  public void escalate(FindingKind.Severity s) {
    if (s.compareTo(severity) > 0) {
      severity = s;
    }
  }

  public FindingKind kind() {
    return kind;
  }

  public FindingKind.Severity severity() {
    return severity;
  }

  public String site() {
    return site;
  }

  public String otherSite() {
    return otherSite;
  }

  public String mapType() {
    return mapType;
  }

  public String mapId() {
    return mapId;
  }

  public List<String> threads() {
    return new ArrayList<>(threads);
  }

  /** The most frequent rendered key, or null. */
  public String key() {
    String best = null;
    long bestCount = -1;
    for (Map.Entry<String, Long> e : keys.entrySet()) {
      if (e.getValue() > bestCount) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return best;
  }

  public Map<String, Long> keyCounts() {
    return new LinkedHashMap<>(keys);
  }

  public long count() {
    return count;
  }

  public long firstSeen() {
    return firstSeen;
  }

  public long lastSeen() {
    return lastSeen;
  }

  public List<StackTraceElement> stack() {
    return stack == null ? new ArrayList<>() : stack;
  }

  public List<StackTraceElement> otherStack() {
    return otherStack == null ? new ArrayList<>() : otherStack;
  }

  public String detail() {
    return detail;
  }

  /** The application trace context of the latest event that carried one, or null. */
  public Object traceContext() {
    return traceContext;
  }
}

package io.mapaudit.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Active-sessions gauge. The metrics scrape reads {@code sessions.size()} of a plain {@code HashMap}
 * while request threads open and close sessions in it: the read races the writers, and the writers'
 * unsynchronized {@code size++}/{@code size--} drift, so the gauge reports impossible values (below
 * zero or above the number of session slots). Fixed: a {@code ConcurrentHashMap} for the sessions
 * and an {@code AtomicInteger} gauge the writers keep.
 */
final class MetricsEndpoint {

  private final boolean fixed;
  private final int maxSessions;
  private final Map<String, Long> sessions;
  private final AtomicInteger open = new AtomicInteger(); // fixed mode's gauge
  private final LongAdder scrapes = new LongAdder();
  private final LongAdder impossibleReadings = new LongAdder();
  private volatile int lastReading;

  /** @param maxSessions the most sessions that can be open at once; a reading above it is impossible */
  MetricsEndpoint(boolean fixed, int maxSessions) {
    this.fixed = fixed;
    this.maxSessions = maxSessions;
    this.sessions = fixed ? new ConcurrentHashMap<>() : new HashMap<>();
  }

  void openSession(String sessionId) {
    sessions.put(sessionId, System.nanoTime()); // writer (buggy mode: unsynchronized HashMap)
    if (fixed) {
      open.incrementAndGet();
    }
  }

  void closeSession(String sessionId) {
    if (sessions.remove(sessionId) != null && fixed) { // writer (buggy mode: unsynchronized HashMap)
      open.decrementAndGet();
    }
  }

  /** The gauge as the scrape reports it; counts impossible readings. */
  int activeSessions() {
    int n = fixed ? open.get() : sessions.size(); // BUG (buggy mode): size() read during writes
    scrapes.increment();
    lastReading = n;
    if (n < 0 || n > maxSessions) {
      impossibleReadings.increment();
    }
    return n;
  }

  /** The Prometheus-style text of {@code /metrics}. */
  String scrape() {
    return "# TYPE demo_sessions_active gauge\ndemo_sessions_active " + activeSessions() + "\n";
  }

  long scrapeCount() {
    return scrapes.sum();
  }

  long impossibleReadingCount() {
    return impossibleReadings.sum();
  }

  int lastReading() {
    return lastReading;
  }
}

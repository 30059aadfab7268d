package io.mapaudit.agent.detect;

import java.util.Collections;
import java.util.List;

/**
 * One observation of a finding, made on an application thread (or the drainer) and merged into a
 * {@link FindingStore} by the drainer. Holds the map only until drained.
 */
public final class FindingEvent {
  public final FindingKind kind;
  public final FindingKind.Severity severity;
  public final Object map;
  public final String site;
  public final String otherSite;
  public final List<String> threads;
  /** The key object (rendered by the drainer) or null. */
  public final Object key;
  public final List<StackTraceElement> stack;
  public final List<StackTraceElement> otherStack;
  public final long weight;
  public final long timeMillis;
  /** Free-form detail for the report ("default 0.0", "held monitor: no"...), or null. */
  public final String detail;
  /** The application's trace context where the finding happened (see TraceContextCapture). */
  private Object traceContext;
  /** The map's type and id, for findings the drainer raises from a profile (no map object). */
  private String mapType;
  private String mapId;

  public FindingEvent(FindingKind kind, FindingKind.Severity severity, Object map, String site,
      String otherSite, List<String> threads, Object key, List<StackTraceElement> stack,
      List<StackTraceElement> otherStack, long weight, String detail) {
    this.kind = kind;
    this.severity = severity == null ? kind.defaultSeverity() : severity;
    this.map = map;
    this.site = site;
    this.otherSite = otherSite;
    this.threads = threads == null ? Collections.emptyList() : threads;
    this.key = key;
    this.stack = stack == null ? Collections.emptyList() : stack;
    this.otherStack = otherStack == null ? Collections.emptyList() : otherStack;
    this.weight = weight;
    this.timeMillis = System.currentTimeMillis();
    this.detail = detail;
  }

  /** Attaches the trace context captured on the application thread; returns this. */
  public FindingEvent withTraceContext(Object ctx) {
    this.traceContext = ctx;
    return this;
  }

  /** Names the map of a finding raised from a profile; returns this. */
  public FindingEvent withMap(String type, String id) {
    this.mapType = type;
    this.mapId = id;
    return this;
  }

  public String mapType() {
    return mapType;
  }

  public String mapId() {
    return mapId;
  }

  public Object traceContext() {
    return traceContext;
  }
}

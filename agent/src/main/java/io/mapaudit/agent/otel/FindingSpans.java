package io.mapaudit.agent.otel;

import io.mapaudit.agent.audit.Aggregator;
import io.mapaudit.agent.detect.Finding;
import io.mapaudit.agent.detect.FindingKind;
import io.mapaudit.agent.record.Sites;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns findings into spans and the {@code mapaudit.findings} counter. Drainer thread only.
 *
 * <p>One span per new finding, named {@code map.<kind>}; while a finding keeps occurring, at most
 * one repeat span per {@link #REPEAT_MILLIS} carrying its new count. When the application had a
 * sampled span where the finding happened, the finding's span is its child (the remote parent
 * captured by {@link AppTraceContext}); an unsampled one is linked from a root span instead, so the
 * finding is never lost to the request's sampling decision.
 */
final class FindingSpans implements Aggregator.FindingListener {
  static final long REPEAT_MILLIS = 60_000L;
  private static final long SCAN_MILLIS = 1_000L;
  /** {@code Class.method(File.java:42)}; the file part may lack a line or be "Unknown Source". */
  private static final Pattern SITE = Pattern.compile("(.+)\\.([^.(]+)\\(([^:)]*)(?::(\\d+))?\\)");

  static final AttributeKey<String> CODE_FUNCTION = AttributeKey.stringKey("code.function.name");
  static final AttributeKey<String> CODE_FILE = AttributeKey.stringKey("code.file.path");
  static final AttributeKey<Long> CODE_LINE = AttributeKey.longKey("code.line.number");
  static final AttributeKey<String> CODE_STACK = AttributeKey.stringKey("code.stacktrace");
  static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");
  static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
  static final AttributeKey<String> KIND = AttributeKey.stringKey("mapaudit.kind");
  static final AttributeKey<String> SEVERITY = AttributeKey.stringKey("mapaudit.severity");
  static final AttributeKey<String> MAP_TYPE = AttributeKey.stringKey("mapaudit.map.type");
  static final AttributeKey<String> MAP_ID = AttributeKey.stringKey("mapaudit.map.id");
  static final AttributeKey<String> SITE_KEY = AttributeKey.stringKey("mapaudit.site");
  static final AttributeKey<String> OTHER_SITE = AttributeKey.stringKey("mapaudit.other_site");
  static final AttributeKey<String> OTHER_STACK =
      AttributeKey.stringKey("mapaudit.other_stacktrace");
  static final AttributeKey<String> KEY = AttributeKey.stringKey("mapaudit.key");
  static final AttributeKey<Long> COUNT = AttributeKey.longKey("mapaudit.count");
  static final AttributeKey<List<String>> THREADS = AttributeKey.stringArrayKey("mapaudit.threads");
  static final AttributeKey<String> DETAIL = AttributeKey.stringKey("mapaudit.detail");
  static final AttributeKey<Boolean> REPEAT = AttributeKey.booleanKey("mapaudit.repeat");

  /** What was exported for one finding: {count at the last span, time of the last span, count
   * already added to the counter}. */
  private final Map<Finding, long[]> exported = new IdentityHashMap<>();
  private final Tracer tracer;
  private final LongCounter findingsCounter;
  private final Aggregator aggregator;
  private final Attributes[][] counterAttributes =
      new Attributes[FindingKind.values().length][FindingKind.Severity.values().length];
  private long lastScan;
  /** Spans made; written by the drainer only, read by the export's shutdown. */
  volatile long spans;

  FindingSpans(Tracer tracer, LongCounter findingsCounter, Aggregator aggregator) {
    this.tracer = tracer;
    this.findingsCounter = findingsCounter;
    this.aggregator = aggregator;
  }

  @Override
  public void onNewFinding(Finding f) {
    long now = System.currentTimeMillis();
    long[] state = exported.get(f);
    if (state != null) {
      return;
    }
    exported.put(f, new long[] {f.count(), now, 0L});
    emit(f, false, f.firstSeen() > 0 ? f.firstSeen() : now);
    countOccurrences(f);
  }

  /** Repeats and counter deltas, at most once a second (the drainer ticks every 250 ms). */
  void tick(long nowMillis) {
    if (nowMillis - lastScan < SCAN_MILLIS) {
      return;
    }
    lastScan = nowMillis;
    for (Finding f : aggregator.findings().all()) {
      long[] state = exported.get(f);
      if (state == null) {
        onNewFinding(f);
        continue;
      }
      countOccurrences(f);
      if (f.count() > state[0] && nowMillis - state[1] >= REPEAT_MILLIS) {
        state[0] = f.count();
        state[1] = nowMillis;
        emit(f, true, f.lastSeen() > 0 ? f.lastSeen() : nowMillis);
      }
    }
  }

  private void countOccurrences(Finding f) {
    long[] state = exported.get(f);
    long delta = f.count() - state[2];
    if (delta > 0) {
      state[2] = f.count();
      Attributes a = counterAttributes[f.kind().ordinal()][f.severity().ordinal()];
      if (a == null) {
        a = Attributes.of(KIND, f.kind().name(), SEVERITY, f.severity().label());
        counterAttributes[f.kind().ordinal()][f.severity().ordinal()] = a;
      }
      findingsCounter.add(delta, a);
    }
  }

  private void emit(Finding f, boolean repeat, long atMillis) {
    SpanBuilder b = tracer.spanBuilder("map." + f.kind().lowerName())
        .setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(atMillis, TimeUnit.MILLISECONDS);
    AppTraceContext.Captured c = f.traceContext() instanceof AppTraceContext.Captured
        ? (AppTraceContext.Captured) f.traceContext() : null;
    if (c != null && c.hasSpan()) {
      SpanContext parent = SpanContext.createFromRemoteParent(c.traceId, c.spanId,
          TraceFlags.fromByte(c.traceFlags), TraceState.getDefault());
      if (parent.isSampled()) {
        b.setParent(Context.root().with(Span.wrap(parent)));
      } else {
        b.setNoParent().addLink(parent);
      }
    } else {
      b.setNoParent();
    }
    attributes(b, f, c);
    b.setAttribute(REPEAT, repeat);
    Span span = b.startSpan();
    if (f.severity() == FindingKind.Severity.ERROR) {
      span.setStatus(StatusCode.ERROR, f.detail() != null ? f.detail() : f.kind().name());
    }
    span.end(atMillis, TimeUnit.MILLISECONDS);
    spans++;
  }

  static void attributes(SpanBuilder b, Finding f, AppTraceContext.Captured c) {
    List<StackTraceElement> stack = f.stack();
    String site = f.site();
    if (!stack.isEmpty()) {
      StackTraceElement top = stack.get(0);
      b.setAttribute(CODE_FUNCTION, top.getClassName() + "." + top.getMethodName());
      if (top.getFileName() != null) {
        b.setAttribute(CODE_FILE, top.getFileName());
      }
      if (top.getLineNumber() > 0) {
        b.setAttribute(CODE_LINE, (long) top.getLineNumber());
      }
      b.setAttribute(CODE_STACK, stackText(stack, null));
    } else if (site != null) {
      String[] parsed = parseSite(site);
      if (parsed != null) {
        b.setAttribute(CODE_FUNCTION, parsed[0]);
        if (!parsed[1].isEmpty() && !parsed[1].equals("Unknown Source")) {
          b.setAttribute(CODE_FILE, parsed[1]);
        }
        if (parsed[2] != null) {
          b.setAttribute(CODE_LINE, Long.parseLong(parsed[2]));
        }
      }
      // The one frame known for sampled misses (no stack is walked for them).
      b.setAttribute(CODE_STACK, stackText(null, site));
    }
    List<String> threads = f.threads();
    if (c != null) {
      b.setAttribute(THREAD_ID, c.threadId);
      b.setAttribute(THREAD_NAME, c.threadName);
    } else if (!threads.isEmpty()) {
      b.setAttribute(THREAD_NAME, threads.get(0));
    }
    b.setAttribute(KIND, f.kind().name());
    b.setAttribute(SEVERITY, f.severity().label());
    setIfPresent(b, MAP_TYPE, f.mapType());
    setIfPresent(b, MAP_ID, f.mapId());
    setIfPresent(b, SITE_KEY, site);
    setIfPresent(b, OTHER_SITE, f.otherSite());
    if (!f.otherStack().isEmpty()) {
      b.setAttribute(OTHER_STACK, stackText(f.otherStack(), null));
    }
    setIfPresent(b, KEY, f.key());
    b.setAttribute(COUNT, f.count());
    if (!threads.isEmpty()) {
      b.setAttribute(THREADS, threads);
    }
    setIfPresent(b, DETAIL, f.detail());
  }

  private static void setIfPresent(SpanBuilder b, AttributeKey<String> k, String v) {
    if (v != null) {
      b.setAttribute(k, v);
    }
  }

  /** Java's own rendering of stack frames: {@code at Class.method(File.java:42)} per line. */
  static String stackText(List<StackTraceElement> stack, String site) {
    StringBuilder sb = new StringBuilder();
    if (stack == null) {
      sb.append("\tat ").append(site).append('\n');
    } else {
      for (StackTraceElement e : stack) {
        sb.append("\tat ").append(Sites.format(e)).append('\n');
      }
    }
    return sb.toString();
  }

  /** Parses a site into {function, file, line} (line may be null); null if it does not parse. */
  static String[] parseSite(String site) {
    Matcher m = SITE.matcher(site);
    return m.matches() ? new String[] {m.group(1) + "." + m.group(2), m.group(3), m.group(4)}
        : null;
  }
}

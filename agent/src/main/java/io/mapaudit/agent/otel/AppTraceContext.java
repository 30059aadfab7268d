package io.mapaudit.agent.otel;

import io.mapaudit.agent.record.RecordingSink;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;

/**
 * Reads the application's current span on the thread where a finding happens, so that the
 * finding's span can be its child. Installed with {@link RecordingSink#setTraceContextCapture}
 * while export is on; runs on application threads inside the reentrancy guard, only for findings
 * and sampled misses.
 *
 * <p>The application's OpenTelemetry API is reached by reflection through the application's
 * class loaders (the thread's context loader, then the system loader): the agent has no
 * dependency on it, and its own copy is relocated. When the application has no API but runs
 * under the official OpenTelemetry Java agent, that agent's own API (in the boot loader) is read
 * instead. Methods are cached per loader, a missing API is cached as such, and nothing here ever
 * throws.
 *
 * <p>Reading {@code Span.current()} initialises the application's context storage if the
 * application has not used it yet (it is what any library calling the API does). So the capture
 * stays disarmed while the agent starts: the session's preload exercises the sink on the premain
 * thread, and initialising the application's API there would, for one, initialise JUL before
 * an application server can install its LogManager (OtelExportIT checks it).
 */
public final class AppTraceContext implements RecordingSink.TraceContextCapture {
  /*
   * The names are assembled at run time: the shade plugin rewrites every string constant that
   * starts with io.opentelemetry to our relocated name, which would make us read our own copy.
   */
  static final String SPAN = unrelocated("api.trace.Span");
  static final String SPAN_CONTEXT = unrelocated("api.trace.SpanContext");
  static final String TRACE_FLAGS = unrelocated("api.trace.TraceFlags");
  /** The official agent's relocated API, appended to the boot class path by its premain. */
  static final String AGENT_PREFIX = unrelocated("javaagent.shaded.");
  /** Loaders remembered; more are looked up each time (bounded memory, still correct). */
  private static final int MAX_LOADERS = 8;

  /** What {@link #capture} returns: the thread, and the span context when one is valid. */
  public static final class Captured {
    public final long threadId;
    public final String threadName;
    /** 32 hex digits, or null when the thread had no valid span. */
    public final String traceId;
    public final String spanId;
    public final byte traceFlags;

    Captured(long threadId, String threadName, String traceId, String spanId, byte traceFlags) {
      this.threadId = threadId;
      this.threadName = threadName;
      this.traceId = traceId;
      this.spanId = spanId;
      this.traceFlags = traceFlags;
    }

    public boolean hasSpan() {
      return traceId != null;
    }

    public boolean sampled() {
      return (traceFlags & 1) != 0;
    }
  }

  /** The reflective handles of one loader's API; {@code current == null} when it has none. */
  static final class Api {
    final WeakReference<ClassLoader> loader;
    final Method current;
    final Method getSpanContext;
    final Method isValid;
    final Method getTraceId;
    final Method getSpanId;
    final Method getTraceFlags;
    final Method asByte;

    Api(ClassLoader loader, Method[] m) {
      this.loader = new WeakReference<>(loader);
      this.current = m == null ? null : m[0];
      this.getSpanContext = m == null ? null : m[1];
      this.isValid = m == null ? null : m[2];
      this.getTraceId = m == null ? null : m[3];
      this.getSpanId = m == null ? null : m[4];
      this.getTraceFlags = m == null ? null : m[5];
      this.asByte = m == null ? null : m[6];
    }
  }

  /** Copy-on-write cache, read without locks on application threads. */
  private volatile Api[] apis = new Api[0];
  private volatile Api agentApi;
  private volatile long nextAgentLookup = System.nanoTime();
  private volatile boolean armed;

  /** {@code io.opentelemetry.<rest>}, immune to the shade plugin's string relocation. */
  static String unrelocated(String rest) {
    return String.join(".", "io", "opentelemetry", rest);
  }

  /** Starts capturing; until then {@link #capture} returns null. Any thread. */
  void arm() {
    if (!armed) {
      armed = true;
    }
  }

  @Override
  public Object capture() {
    if (!armed) {
      return null;
    }
    try {
      Thread t = Thread.currentThread();
      Object[] ctx = null;
      ClassLoader tccl = t.getContextClassLoader();
      ClassLoader system = ClassLoader.getSystemClassLoader();
      if (tccl != null) {
        ctx = read(api(tccl));
      }
      if (ctx == null && system != tccl) {
        ctx = read(api(system));
      }
      if (ctx == null) {
        ctx = read(agentApi());
      }
      return ctx == null ? new Captured(t.getId(), t.getName(), null, null, (byte) 0)
          : new Captured(t.getId(), t.getName(), (String) ctx[0], (String) ctx[1], (Byte) ctx[2]);
    } catch (Throwable e) {
      return null;
    }
  }

  /** {traceId, spanId, flags} of the current span if valid, else null. */
  private static Object[] read(Api api) {
    if (api == null || api.current == null) {
      return null;
    }
    try {
      Object span = api.current.invoke(null);
      Object sc = span == null ? null : api.getSpanContext.invoke(span);
      if (sc == null || !Boolean.TRUE.equals(api.isValid.invoke(sc))) {
        return null;
      }
      Object flags = api.getTraceFlags.invoke(sc);
      byte b = flags == null ? 0 : (Byte) api.asByte.invoke(flags);
      return new Object[] {api.getTraceId.invoke(sc), api.getSpanId.invoke(sc), b};
    } catch (Throwable e) {
      return null;
    }
  }

  private Api api(ClassLoader loader) {
    Api[] cached = apis;
    for (Api a : cached) {
      if (a.loader.get() == loader) {
        return a;
      }
    }
    Api a = new Api(loader, lookup(loader, ""));
    if (cached.length < MAX_LOADERS) {
      synchronized (this) {
        Api[] now = apis;
        Api[] next = java.util.Arrays.copyOf(now, now.length + 1);
        next[now.length] = a;
        apis = next;
      }
    }
    return a;
  }

  private Api agentApi() {
    Api a = agentApi;
    if (a == null) {
      // The official agent may start after this agent: look again, at most once a second.
      long now = System.nanoTime();
      if (now - nextAgentLookup < 0) {
        return null;
      }
      Method[] m = lookup(null, AGENT_PREFIX);
      if (m == null) {
        nextAgentLookup = now + 1_000_000_000L;
        return null;
      }
      a = new Api(null, m);
      agentApi = a;
    }
    return a;
  }

  /** The API's methods as seen by {@code loader} (null: the boot loader), or null. */
  static Method[] lookup(ClassLoader loader, String prefix) {
    try {
      Class<?> span = Class.forName(prefix + SPAN, false, loader);
      Class<?> sc = Class.forName(prefix + SPAN_CONTEXT, false, loader);
      Class<?> flags = Class.forName(prefix + TRACE_FLAGS, false, loader);
      return new Method[] {span.getMethod("current"), span.getMethod("getSpanContext"),
          sc.getMethod("isValid"), sc.getMethod("getTraceId"), sc.getMethod("getSpanId"),
          sc.getMethod("getTraceFlags"), flags.getMethod("asByte")};
    } catch (Throwable e) {
      return null;
    }
  }
}

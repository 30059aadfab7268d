package io.mapaudit.agent.otel;

import io.mapaudit.bootstrap.ReentrancyGuard;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the export runs on: daemon threads named {@code mapaudit-otel-*}, marked as agent
 * threads before they run anything (so the SDK's own map operations are never recorded); the
 * sender's tasks run with the official OpenTelemetry Java agent's instrumentation suppressed.
 */
final class ExportThreads {
  /*
   * Coexistence with the official OpenTelemetry Java agent (DESIGN §6). Its java-http-client
   * instrumentation matches java.net.http.HttpClient, which the relocated JDK sender still is, so
   * without this every OTLP request of ours became a CLIENT span "POST" in the application's
   * service, and the request carried a traceparent header (OtelCoexistenceIT
   * withoutSuppression_exportRequestsBecomeClientSpans shows both). Our relocated copy of
   * InstrumentationUtil.suppressInstrumentation sets a context key the official agent never
   * reads. Its own copy lives in the boot loader under its shaded prefix and its Instrumenter
   * checks exactly that key (SpanSuppressors.ByContextKey), so export tasks run inside it:
   * OtelCoexistenceIT *_noClientSpanForOurExport proves it in both -javaagent orders. A
   * different sender was the alternative; it would still be an HttpClient or URLConnection
   * (instrumented too), or an HTTP client of our own to maintain. The lookup is by name and lazy
   * (the official agent may start after us); if its name ever changes the test fails.
   */
  static final String[] SUPPRESSORS = {
    AppTraceContext.AGENT_PREFIX + AppTraceContext.unrelocated("api.impl.InstrumentationUtil"),
    AppTraceContext.AGENT_PREFIX
        + AppTraceContext.unrelocated("api.internal.InstrumentationUtil"),
  };
  /** Test hook: {@code -Dmapaudit.otel.suppressForeignInstrumentation=false}. */
  static final boolean SUPPRESS = !"false".equals(
      System.getProperty("mapaudit.otel.suppressForeignInstrumentation"));

  private static volatile Method suppressor;

  private ExportThreads() {}

  /** A factory of daemon agent threads named {@code mapaudit-otel-<role>-N}. */
  static ThreadFactory factory(String role) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(() -> {
        ReentrancyGuard.markAgentThread();
        r.run();
      }, "mapaudit-otel-" + role + "-" + n.incrementAndGet());
      t.setDaemon(true);
      t.setContextClassLoader(null);
      return t;
    };
  }

  /** The sender's executor: one or two threads, a short queue; a full queue rejects (a drop). */
  static ThreadPoolExecutor sender() {
    ThreadPoolExecutor e = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(32), factory("export")) {
      @Override
      public void execute(Runnable command) {
        super.execute(suppressed(command));
      }
    };
    e.allowCoreThreadTimeOut(true);
    return e;
  }

  /** A single scheduler thread (metric reader). */
  static ScheduledThreadPoolExecutor scheduler(String role) {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, factory(role));
    e.setRemoveOnCancelPolicy(true);
    return e;
  }

  /** {@code r} run with the official agent's instrumentation suppressed, when that agent is here. */
  static Runnable suppressed(Runnable r) {
    return () -> {
      Method m = SUPPRESS ? suppressor() : null;
      if (m == null) {
        r.run();
        return;
      }
      try {
        m.invoke(null, r);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException) {
          throw (RuntimeException) cause;
        }
        if (cause instanceof Error) {
          throw (Error) cause;
        }
        throw new IllegalStateException(cause);
      } catch (IllegalAccessException | RuntimeException e) {
        r.run();
      }
    };
  }

  /**
   * The official agent's {@code suppressInstrumentation(Runnable)}, or null. A miss is not
   * remembered: the official agent puts this class on the boot class path before it installs
   * any instrumentation, so looking again for each export (a few a second at most) leaves no
   * window in which our requests are instrumented but not suppressed.
   */
  static Method suppressor() {
    Method m = suppressor;
    if (m != null) {
      return m;
    }
    for (String name : SUPPRESSORS) {
      try {
        m = Class.forName(name, false, null).getMethod("suppressInstrumentation", Runnable.class);
        suppressor = m;
        return m;
      } catch (Throwable e) {
        // Not this version, or no official agent.
      }
    }
    return null;
  }
}

package io.mapaudit.agent;

import io.mapaudit.agent.audit.Aggregator;
import io.mapaudit.agent.config.AgentOptions;
import io.mapaudit.agent.detect.FindingStore;
import io.mapaudit.agent.detect.Watchpoints;
import io.mapaudit.agent.heat.KeyMode;
import io.mapaudit.agent.heat.KeyRenderer;
import io.mapaudit.agent.instrument.AgentInstaller;
import io.mapaudit.agent.otel.OtelExport;
import io.mapaudit.agent.profile.MapProfile;
import io.mapaudit.agent.record.Drainer;
import io.mapaudit.agent.record.RecordingSink;
import io.mapaudit.agent.record.SafeKeys;
import io.mapaudit.agent.record.SamplingWindows;
import io.mapaudit.agent.record.Sites;
import io.mapaudit.agent.record.UserCodeGate;
import io.mapaudit.agent.report.HtmlReport;
import io.mapaudit.agent.report.ReportBuilder;
import io.mapaudit.agent.report.ReportFiles;
import io.mapaudit.bootstrap.AdviceErrors;
import io.mapaudit.bootstrap.MapAccessDispatcher;
import io.mapaudit.bootstrap.MapOp;
import io.mapaudit.bootstrap.ModCounts;
import io.mapaudit.bootstrap.ReentrancyGuard;
import io.mapaudit.bootstrap.SampleDraw;
import io.mapaudit.bootstrap.ThreadState;
import io.mapaudit.bootstrap.WatchSlots;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One attachment of the agent to this JVM, from install to detach (or exit). Owns the sink, the
 * drainer and its state, the installed transformer and the shutdown hook.
 *
 * <p>Not thread-safe by itself: {@link AgentRuntime} serialises start, commands and detach.
 */
final class AgentSession {
  /** How long a report request waits for the drainer. */
  static final long SNAPSHOT_TIMEOUT_MILLIS = 3_000L;
  /** Longest wait for the OpenTelemetry flush at exit or detach. */
  static final long OTEL_SHUTDOWN_MILLIS = 2_000L;
  /* A collection waits at most this long for the drainer (which may be inside a slow hashCode). */
  private static final long METRICS_DRAIN_MILLIS = 1_000L;

  final AgentOptions options;
  final String mode;
  final Instant startedAt = Instant.now();
  private final Instrumentation inst;
  private final int epoch;
  private final FindingStore findings = new FindingStore();
  private final ReportBuilder reportBuilder = new ReportBuilder();
  private final AtomicBoolean reportWarning = new AtomicBoolean();
  private Aggregator aggregator;
  private Drainer drainer;
  private SamplingWindows windows;
  private RecordingSink sink;
  private OtelExport otel;
  private AgentInstaller.Installation installation;
  private Thread shutdownHook;
  private volatile boolean detached;
  private volatile String detachSummary;
  private boolean javaUtilOpen;

  AgentSession(AgentOptions options, String mode, Instrumentation inst, int epoch) {
    this.options = options;
    this.mode = mode;
    this.inst = inst;
    this.epoch = epoch;
  }

  /** Installs the agent. On failure nothing stays installed and the exception propagates. */
  void start() {
    long t0 = System.nanoTime();
    AgentConsole.setDebug(options.debug());
    // One gate for the drainer and the key renderer: a key whose hashCode never returns cannot
    // hold back a report (FaultsIT).
    UserCodeGate gate = new UserCodeGate();
    Function<Object, String> keys = new KeyRenderer(KeyMode.parse(options.keys()), gate)::render;
    aggregator = new Aggregator(options, findings, keys);
    reportBuilder.addSection(aggregator.heatSection());
    drainer = new Drainer(aggregator, aggregator, gate);
    sink = new RecordingSink(epoch, options.ringSize(), drainer);
    sink.setHooks(new Watchpoints(findings, aggregator.sharedMaps(), sink, options.watchNanos(),
        options.watchBudget(), epoch));
    if (!options.enabled()) {
      // enabled=false: loaded but idle. Nothing is retransformed, so the application keeps its
      // original bytecode and its JIT profiles (a retransformation alone costs up to 2.7x on a
      // HashMap.get, BENCHMARKS.md); the drainer only answers status and report, and no report
      // is written at exit.
      drainer.start();
      AgentConsole.debug("loaded idle (enabled=false) in " + (System.nanoTime() - t0) / 1_000_000
          + " ms; nothing instrumented");
      return;
    }
    javaUtilOpen = AgentInstaller.openJavaUtil(inst);
    otel = OtelExport.start(options, aggregator, sink, options.sampling(), AgentRuntime.version());
    if (otel != null) {
      // Drained first, a scrape sees what was sampled before it, not what the last tick drained.
      Drainer d = drainer;
      otel.beforeCollect(() -> d.call(() -> Boolean.TRUE, METRICS_DRAIN_MILLIS));
    }
    long t1 = System.nanoTime();
    preload();
    long t2 = System.nanoTime();
    drainer.start();
    try {
      installation = AgentInstaller.install(inst);
    } catch (RuntimeException | Error e) {
      drainer.stop(1_000L);
      if (otel != null) {
        otel.shutdown(OTEL_SHUTDOWN_MILLIS);
      }
      throw e;
    }
    MapAccessDispatcher.install(sink, options.sampling(), true);
    if (options.windowedSampler() && MapAccessDispatcher.windowed(options.sampling())) {
      MapAccessDispatcher.useWindows();
      windows = new SamplingWindows(options.sampling());
      windows.start();
    }
    registerShutdownHook();
    AgentConsole.debug("setup " + (t1 - t0) / 1_000_000 + " ms, preload " + (t2 - t1) / 1_000_000
        + " ms, advice " + installation.adviceNanos / 1_000_000 + " ms, retransform "
        + installation.installNanos / 1_000_000 + " ms");
    AgentConsole.debug("installed in " + installation.nanos / 1_000_000 + " ms, transformed "
        + installation.transformed + (installation.errors.isEmpty() ? ""
            : ", errors " + installation.errors) + ", java.util open: " + javaUtilOpen
        + ", modCount readable: " + ModCounts.available() + ", sampling draw: "
        + SampleDraw.source()
        + (SampleDraw.fallbackReason() == null ? "" : " (" + SampleDraw.fallbackReason() + ")"));
  }

  /**
   * Writes the last report at exit. A JVM that began to exit while an async start was still
   * installing refuses the hook: this session then just stands down (nothing was audited yet).
   */
  private void registerShutdownHook() {
    shutdownHook = new Thread(this::atExit, "mapaudit-shutdown");
    shutdownHook.setDaemon(true);
    try {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } catch (IllegalStateException exiting) {
      MapAccessDispatcher.uninstall();
      stopWindows();
      detached = true;
    }
  }

  /** True unless loaded idle ({@code enabled=false}) or detached. */
  boolean auditing() {
    return installation != null && !detached;
  }

  /*
   * Exercises the sink once on a private map before the transformer exists, so that every class
   * the sampled path needs is loaded (AgentInstaller preloads the boot side). The map's records
   * have no application site and never reach a report.
   */
  private void preload() {
    ThreadState state = ReentrancyGuard.state();
    SafeKeys.isSafe("k");
    Sites.callerFrame();
    Map<Object, Object> dummy = new HashMap<>();
    state.enterAgent();
    try {
      for (int op = 0; op < MapOp.COUNT; op++) {
        long start = sink.onSampledEnter(dummy, op, "k", null, System.nanoTime(), state);
        sink.onSampledExit(dummy, op, "k", null, null, null, 1L, start + 1L, state);
      }
      sink.onConstructed(dummy, state);
    } finally {
      state.exitAgent();
    }
  }

  /** The {@code agent} object of the report. */
  Map<String, Object> agentInfo() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("version", AgentRuntime.version());
    a.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    a.put("mode", mode);
    a.put("startedAt", startedAt.toString());
    a.put("sampling", options.sampling());
    if (installation != null) {
      // Not while idle: SampleDraw decides its source once, and the export comes with auditing.
      a.put("sampleDraw", SampleDraw.source());
    }
    // Not RuntimeMXBean.getName(): it resolves the host name (InetAddress.getLocalHost, a DNS
    // lookup) and loads the management classes, ~40 ms at every exit (BENCHMARKS.md, startup).
    a.put("pid", String.valueOf(ProcessHandle.current().pid()));
    a.put("auditing", auditing());
    a.put("options", new LinkedHashMap<>(options.raw()));
    a.put("records", aggregator.records());
    a.put("droppedRecords", drainer.dropped());
    a.put("trackedMaps", aggregator.table().size());
    a.put("mapsWithoutSite", aggregator.mapsWithoutSite());
    a.put("mapsCollected", aggregator.table().collected());
    a.put("mapsEvicted", aggregator.table().evicted());
    a.put("recordsForEvictedMaps", aggregator.recordsForEvictedMaps());
    a.put("droppedFindingEvents", findings.droppedEvents());
    a.put("findingsOverflow", findings.overflow());
    a.put("adviceErrors", AdviceErrors.count());
    if (otel != null) {
      a.put("otel", otel.stats());
    }
    a.put("instrumentedClasses", installation == null ? List.of()
        : new ArrayList<>(installation.transformed));
    if (detachSummary != null) {
      a.put("detach", detachSummary);
    }
    return a;
  }

  /**
   * Builds the report on the drainer thread, after merging the findings application threads
   * queued since the last tick; null when the drainer did not answer in time.
   */
  Map<String, Object> snapshot() {
    return drainer.call(() -> {
      aggregator.flushFindings();
      return reportBuilder.build(aggregator, agentInfo());
    }, SNAPSHOT_TIMEOUT_MILLIS);
  }

  /** Writes the report files; returns the JSON path. */
  Path writeReport(Path jsonFile) throws IOException {
    Map<String, Object> report = snapshot();
    if (report == null) {
      throw new IOException("the drainer did not produce a report within "
          + SNAPSHOT_TIMEOUT_MILLIS + " ms");
    }
    return ReportFiles.write(report, options.reportDir(), jsonFile, new HtmlReport());
  }

  /** Status lines for the {@code status} command. */
  String status() {
    Map<String, Object> s = drainer.call(this::agentInfo, SNAPSHOT_TIMEOUT_MILLIS);
    if (s == null) {
      return "attached (" + mode + ") since " + startedAt + "; drainer not answering";
    }
    return "attached (" + mode + ") since " + startedAt + ", auditing "
        + (auditing() ? "on" : "off (enabled=false: idle)")
        + ", sampling 1/" + options.sampling()
        + "\n  tracked maps: " + s.get("trackedMaps") + ", records: " + s.get("records")
        + ", dropped: " + s.get("droppedRecords") + ", findings: " + findingCount()
        + ", advice errors: " + s.get("adviceErrors")
        + "\n  instrumented: " + s.get("instrumentedClasses");
  }

  private int findingCount() {
    Integer n = drainer.call(() -> findings.all().size(), SNAPSHOT_TIMEOUT_MILLIS);
    return n == null ? -1 : n;
  }

  /**
   * Detaches: auditing off and the no-op sink first (code still running becomes harmless), then
   * the original bytecode back, then a last report. Returns what was restored.
   */
  String detach() {
    long start = System.nanoTime();
    MapAccessDispatcher.uninstall();
    stopWindows();
    String reportLine;
    if (installation == null) {
      // Loaded idle: nothing to restore, nothing audited, so no report file either.
      detachSummary = "idle session (enabled=false) closed; nothing was instrumented";
      detached = true;
      reportLine = "no report (nothing was audited)";
    } else {
      boolean reset = AgentInstaller.reset(inst, installation.transformer);
      long resetMillis = (System.nanoTime() - start) / 1_000_000;
      detachSummary = "restored original bytecode of " + installation.transformed.size()
          + " classes " + installation.transformed
          + (reset ? "" : " (transformer was not active)") + " in " + resetMillis
          + " ms; sink is the no-op";
      detached = true;
      try {
        reportLine = "final report: " + writeReport(null);
      } catch (IOException | RuntimeException e) {
        reportLine = "final report not written: " + e.getMessage();
      }
    }
    drainer.stop(2_000L);
    if (otel != null) {
      otel.shutdown(OTEL_SHUTDOWN_MILLIS);
    }
    try {
      if (shutdownHook != null) {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      }
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook sees detached and does nothing.
    }
    return detachSummary + "\n" + reportLine;
  }

  private void stopWindows() {
    if (windows != null) {
      windows.stop(1_000L);
    }
  }

  /** Shutdown hook: last report and the short summary, within a bounded time. */
  @SuppressWarnings("unchecked")
  private void atExit() {
    ReentrancyGuard.markAgentThread();
    if (detached) {
      return;
    }
    MapAccessDispatcher.setActive(false);
    stopWindows();
    Map<String, Object> report = snapshot();
    if (report == null) {
      AgentConsole.line("report not written: the drainer did not answer within "
          + SNAPSHOT_TIMEOUT_MILLIS + " ms");
      if (otel != null) {
        otel.shutdown(OTEL_SHUTDOWN_MILLIS);
      }
      return;
    }
    if (otel != null) {
      // After the last drain (its findings are spans now), so the report counts what was lost.
      otel.shutdown(OTEL_SHUTDOWN_MILLIS);
      ((Map<String, Object>) report.get("agent")).put("otel", otel.stats());
    }
    Path json;
    try {
      json = ReportFiles.write(report, options.reportDir(), null, new HtmlReport());
    } catch (IOException | RuntimeException e) {
      AgentConsole.warnOnce(reportWarning, "report not written to " + options.reportDir()
          + ": " + e);
      return;
    }
    if (options.summary()) {
      ExitSummary.print(report, json);
    }
  }

  boolean detached() {
    return detached;
  }
}

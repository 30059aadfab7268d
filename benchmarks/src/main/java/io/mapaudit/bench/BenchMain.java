package io.mapaudit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The overhead harness behind {@code scripts/bench.sh}: every measurement of issue 7 in one run on
 * one machine, configurations interleaved, and one table of ratios against no agent.
 *
 * <pre>
 * java -cp mapaudit-benchmarks.jar io.mapaudit.bench.BenchMain --agent AGENT_JAR
 *     [--quick] [--rounds N] [--otel OTEL_AGENT_JAR] [--arthas ARTHAS_HOME]
 *     [--sections jmh,workloads,cpu,startup,attach,memory,peers] [--benchmarks a,b]
 *     [--configs none,off,default,attached,windows,sampling1,detached] [--out DIR]
 * </pre>
 *
 * <p>Interleaving: each JMH round runs, for every benchmark and thread count, every
 * configuration back to back (a fresh fork each, the order rotated every round), so that a
 * neighbour's build slowing the machine hits all configurations alike. Ratios are taken within a
 * round and the median over rounds is reported with its range.
 */
public final class BenchMain {
  static final List<String> MAP_OPS = Arrays.asList("hashMapGetHit", "hashMapGetMiss",
      "hashMapPut", "hashMapRemove", "linkedHashMapGet", "concurrentHashMapGet",
      "concurrentHashMapPut", "concurrentHashMapMerge");
  static final List<String> WORKLOADS = Arrays.asList("jacksonReadWrite", "zipfCache");
  static final List<String> CONFIGS = Arrays.asList("none", "off", "default", "attached",
      "windows", "sampling1", "detached");
  /** Column titles of the configurations; the table's fixed columns are CONFIGS after "none". */
  static final Map<String, String> COLUMN_TITLES = new HashMap<>();

  static {
    COLUMN_TITLES.put("off", "enabled=false");
    COLUMN_TITLES.put("default", "default");
    COLUMN_TITLES.put("attached", "default, attached live");
    COLUMN_TITLES.put("windows", "sampler=windows");
    COLUMN_TITLES.put("sampling1", "sampling=1");
    COLUMN_TITLES.put("detached", "after detach");
    COLUMN_TITLES.put("gate", "advice only, nothing sampled");
  }

  static final List<String> WORKLOAD_CONFIGS = Arrays.asList("none", "default", "windows",
      "sampling1");

  private final Path agentJar;
  private final Path altAgentJar;
  private final boolean quick;
  private final int rounds;
  private final Path otelJar;
  private final Path arthasHome;
  private final Set<String> sections;
  private final List<String> benchmarks;
  private final List<String> configs;
  private final boolean configsGiven;
  /** JMH warmup iterations, measurement iterations, milliseconds each. */
  private final int[] iterations;
  private final Path out;
  private final Path scratch;
  private final String benchJar;
  private final PrintStream log = System.err;
  /** Result rows in table order. */
  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> raw = new ArrayList<>();
  private volatile Process arthasClient;

  BenchMain(Map<String, String> a) throws IOException {
    this.agentJar = Paths.get(required(a, "agent")).toAbsolutePath();
    this.altAgentJar = a.containsKey("alt-agent") ? Paths.get(a.get("alt-agent")).toAbsolutePath()
        : null;
    this.quick = a.containsKey("quick");
    this.rounds = Integer.parseInt(a.getOrDefault("rounds", quick ? "1" : "2"));
    this.otelJar = a.containsKey("otel") ? Paths.get(a.get("otel")).toAbsolutePath() : null;
    this.arthasHome = a.containsKey("arthas") ? Paths.get(a.get("arthas")).toAbsolutePath()
        : null;
    this.sections = new LinkedHashSet<>(Arrays.asList(a.getOrDefault("sections",
        "jmh,workloads,cpu,startup,attach,memory,peers").split(",")));
    this.benchmarks = a.containsKey("benchmarks") ? Arrays.asList(a.get("benchmarks").split(","))
        : MAP_OPS;
    String it = a.getOrDefault("iterations", quick ? "1,2,300" : "3,5,1000");
    this.iterations = Arrays.stream(it.split(",")).mapToInt(Integer::parseInt).toArray();
    this.configsGiven = a.containsKey("configs");
    this.configs = a.containsKey("configs") ? withBaseline(a.get("configs").split(","))
        : CONFIGS;
    this.out = Paths.get(a.getOrDefault("out", "benchmarks/target/bench")).toAbsolutePath();
    Files.createDirectories(out);
    this.scratch = Files.createDirectories(out.resolve("scratch"));
    this.benchJar = System.getProperty("java.class.path");
  }

  /** The given configurations, with "none" first when it was left out: every ratio needs it. */
  private static List<String> withBaseline(String[] given) {
    List<String> list = new ArrayList<>(Arrays.asList(given));
    if (!list.contains("none")) {
      list.add(0, "none");
    }
    return list;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    if (a.containsKey("help") || !a.containsKey("agent")) {
      System.err.println("usage: BenchMain --agent AGENT_JAR [--quick] [--rounds N] "
          + "[--otel OTEL_JAR] [--arthas ARTHAS_HOME] [--sections jmh,workloads,cpu,startup,attach,"
          + "memory,peers] [--benchmarks a,b] [--configs none,off,default,attached,windows,sampling1,detached] "
          + "[--alt-agent JAR (configs NAME@alt)] [--iterations W,M,MILLIS] [--out DIR]");
      System.exit(a.containsKey("help") ? 0 : 2);
    }
    new BenchMain(a).run();
  }

  void run() throws Exception {
    long start = System.nanoTime();
    double loadBefore = load();
    if (sections.contains("jmh") || sections.contains("workloads")) {
      jmh();
    }
    if (sections.contains("cpu")) {
      cpu();
    }
    if (sections.contains("startup")) {
      startup();
    }
    if (sections.contains("attach")) {
      attach();
    }
    if (sections.contains("memory")) {
      memory();
    }
    if (sections.contains("peers")) {
      peers();
    }
    double loadAfter = load();
    String table = table(loadBefore, loadAfter, (System.nanoTime() - start) / 1e9);
    System.out.println(table);
    Files.write(out.resolve("results.md"), table.getBytes(StandardCharsets.UTF_8));
    Files.write(out.resolve("raw.csv"), raw, StandardCharsets.UTF_8);
    log.println("results: " + out.resolve("results.md") + ", raw: " + out.resolve("raw.csv"));
  }

  // ---------------------------------------------------------------- JMH

  private List<String> configArgs(String config) {
    // "NAME@alt": the same configuration with the --alt-agent jar (A/B of two agent builds).
    Path agentJar = this.agentJar;
    if (config.endsWith("@alt")) {
      agentJar = altAgentJar;
      config = config.substring(0, config.length() - "@alt".length());
    }
    String common = "summary=false,reportDir=" + scratch;
    switch (config) {
      case "none":
        return Collections.emptyList();
      case "off":
        return Collections.singletonList("-javaagent:" + agentJar + "=enabled=false," + common);
      case "default":
        return Collections.singletonList("-javaagent:" + agentJar + "=" + common);
      case "windows":
        return Collections.singletonList("-javaagent:" + agentJar + "=sampler=windows," + common);
      case "sampling1":
        return Collections.singletonList("-javaagent:" + agentJar + "=sampling=1," + common);
      case "gate":
        // The floor of per-operation advice: every advised method runs its gate test, and a
        // sampling window opens so rarely that next to nothing is drawn or recorded.
        return Collections.singletonList(
            "-javaagent:" + agentJar + "=sampler=windows,sampling=16777216," + common);
      case "attached":
        List<String> at = new ArrayList<>(dynamicAttachFlag());
        at.add("-Dmapaudit.bench.attach=" + agentJar);
        return at;
      case "detached":
        List<String> d = new ArrayList<>(dynamicAttachFlag());
        d.add("-Dmapaudit.bench.attachDetach=" + agentJar);
        return d;
      default:
        throw new IllegalArgumentException(config);
    }
  }

  private static List<String> dynamicAttachFlag() {
    // JDK 21+ warns on dynamic attach (JEP 451) unless told; JDK 17 does not know the flag.
    return Runtime.version().feature() >= 21
        ? Collections.singletonList("-XX:+EnableDynamicAgentLoading")
        : Collections.emptyList();
  }

  /** One JMH measurement cell: a benchmark at a thread count (0: the benchmark's own). */
  private static final class Cell {
    final String clazz;
    final String bench;
    final int threads;
    final List<String> configs;
    final String label;
    final boolean throughput;

    Cell(String clazz, String bench, int threads, List<String> configs, String label,
        boolean throughput) {
      this.clazz = clazz;
      this.bench = bench;
      this.threads = threads;
      this.configs = configs;
      this.label = label;
      this.throughput = throughput;
    }
  }

  private void jmh() {
    List<Cell> cells = new ArrayList<>();
    int[] threadCounts = quick ? new int[] {1} : new int[] {1, 2};
    if (sections.contains("jmh")) {
      for (String b : benchmarks) {
        for (int t : threadCounts) {
          cells.add(new Cell(MapOpsBenchmark.class.getName(), b, t, configs,
              label(b) + " (ns/op)", false));
        }
      }
    }
    if (sections.contains("workloads")) {
      // --configs, when given, applies to the workloads too (A/B runs of two agent jars).
      List<String> w = configsGiven ? configs : WORKLOAD_CONFIGS;
      cells.add(new Cell(WorkloadBenchmark.class.getName(), "jacksonReadWrite", 1,
          w, "Jackson read+write Map<String,Object> (ops/s)", true));
      cells.add(new Cell(WorkloadBenchmark.class.getName(), "zipfCache", 2, w,
          "Zipf cache on ConcurrentHashMap (ops/s)", true));
    }
    int total = 0;
    for (Cell c : cells) {
      total += c.configs.size() * rounds;
    }
    int done = 0;
    long start = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      for (Cell c : cells) {
        Row row = rows.computeIfAbsent(c.label + "|" + c.threads,
            k -> new Row(c.label, String.valueOf(c.threads), c.throughput));
        List<String> order = rotate(c.configs, r);
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String config : order) {
          double score = runJmh(c, config);
          scores.put(config, score);
          raw.add(String.join(",", "jmh", c.bench, String.valueOf(c.threads), config,
              String.valueOf(r), String.valueOf(score)));
          done++;
          long eta = (long) ((System.nanoTime() - start) / 1e9 / done * (total - done));
          log.printf(Locale.ROOT, "[%d/%d, eta %ds] round %d %s t=%d %s: %.3f %s%n", done, total,
              eta, r + 1, c.bench, c.threads, config, score, c.throughput ? "ops/s" : "ns/op");
        }
        row.addRound(scores);
      }
    }
  }

  private double runJmh(Cell c, String config) {
    // The workloads need many more warm-up seconds than a map operation: Jackson reaches its
    // steady state after ~4 s without the agent and after ~10-13 s with it, because the agent's
    // retransformation (~1 s in, startup=async) throws away the compiled map methods and every
    // caller that inlined them (per-iteration series in BENCHMARKS.md, fifth pass). Fewer
    // warm-up seconds measured that recompilation, not the agent's steady cost.
    int warmups = c.throughput ? (quick ? 12 : 15) : iterations[0];
    ChainedOptionsBuilder b = new OptionsBuilder()
        .include("^" + Pattern.quote(c.clazz + "." + c.bench) + "$")
        .forks(1)
        .warmupIterations(warmups)
        .warmupTime(TimeValue.milliseconds(iterations[2]))
        .measurementIterations(iterations[1])
        .measurementTime(TimeValue.milliseconds(iterations[2]))
        .threads(c.threads)
        .jvmArgs("-Xms1g", "-Xmx1g")
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT);
    List<String> args = configArgs(config);
    if (!args.isEmpty()) {
      b.jvmArgsAppend(args.toArray(new String[0]));
    }
    try {
      RunResult result = new Runner(b.build()).runSingle();
      return result.getPrimaryResult().getScore();
    } catch (Exception e) {
      notes.add(c.bench + " t=" + c.threads + " " + config + " failed: " + e.getMessage());
      log.println("FAILED " + c.bench + " " + config + ": " + e);
      return Double.NaN;
    }
  }

  private static List<String> rotate(List<String> configs, int round) {
    List<String> l = new ArrayList<>(configs);
    Collections.rotate(l, -round);
    return l;
  }

  private static String label(String bench) {
    switch (bench) {
      case "hashMapGetHit": return "HashMap.get hit";
      case "hashMapGetMiss": return "HashMap.get miss";
      case "hashMapPut": return "HashMap.put (overwrite)";
      case "hashMapRemove": return "HashMap.remove + put back";
      case "linkedHashMapGet": return "LinkedHashMap.get";
      case "concurrentHashMapGet": return "ConcurrentHashMap.get";
      case "concurrentHashMapPut": return "ConcurrentHashMap.put";
      case "concurrentHashMapMerge": return "ConcurrentHashMap.merge";
      default: return bench;
    }
  }

  // ---------------------------------------------------------------- cpu

  /*
   * Thread CPU time per get (CpuTimeCheck), configurations interleaved, best of the forks: on a
   * machine shared with other builds, wall-clock JMH ratios carry the neighbours' load; CPU time
   * of the measuring thread does not (the drainer's CPU is not in it: see the JMH rows for that).
   */
  private void cpu() throws Exception {
    int n = quick ? 1 : 3;
    for (String map : Arrays.asList("hashMap", "concurrentHashMap")) {
      Map<String, List<Double>> ns = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        for (String config : rotate(Arrays.asList("none", "off", "default", "sampling1"), i)) {
          List<String> cmd = new ArrayList<>();
          cmd.add(java());
          cmd.addAll(configArgs(config));
          cmd.add("-cp");
          cmd.add(benchJar);
          cmd.add(CpuTimeCheck.class.getName());
          cmd.add(map);
          Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
          String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              .trim();
          p.waitFor(120, TimeUnit.SECONDS);
          double v = Double.parseDouble(text);
          ns.computeIfAbsent(config, k -> new ArrayList<>()).add(v);
          raw.add(String.join(",", "cpu", map, config, String.valueOf(i), text));
        }
      }
      Row r = row("cpu-" + map, (map.equals("hashMap") ? "HashMap.get hit" : "ConcurrentHashMap.get")
          + ", thread CPU time, best of " + n + " forks (ns/op)", "1", false);
      double none = Collections.min(ns.get("none"));
      r.baselines.add(none);
      for (String config : Arrays.asList("off", "default", "sampling1")) {
        r.ratios.computeIfAbsent(config, k -> new ArrayList<>())
            .add(Collections.min(ns.get(config)) / none);
      }
      log.printf(Locale.ROOT, "cpu %s: none %.2f, default %.2f, sampling1 %.2f ns/op%n", map,
          none, Collections.min(ns.get("default")), Collections.min(ns.get("sampling1")));
    }
  }

  // ---------------------------------------------------------------- startup

  private void startup() throws Exception {
    int n = quick ? 3 : 10;
    Map<String, List<String>> configs = new LinkedHashMap<>();
    configs.put("none", Collections.emptyList());
    configs.put("mapaudit", Collections.singletonList("-javaagent:" + agentJar + "=reportDir="
        + scratch));
    configs.put("mapaudit-sync", Collections.singletonList("-javaagent:" + agentJar
        + "=startup=sync,reportDir=" + scratch));
    if (otelJar != null) {
      configs.put("otel", Arrays.asList("-javaagent:" + otelJar, "-Dotel.traces.exporter=none",
          "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none"));
    }
    Map<String, List<Double>> times = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      for (String config : rotate(new ArrayList<>(configs.keySet()), i)) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(configs.get(config));
        cmd.add("-cp");
        cmd.add(benchJar);
        cmd.add(TrivialMain.class.getName());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("trivial main did not end: " + cmd);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        if (p.exitValue() != 0) {
          notes.add("startup " + config + " exited " + p.exitValue());
        }
        times.computeIfAbsent(config, k -> new ArrayList<>()).add(ms);
        cpu.computeIfAbsent(config, k -> new ArrayList<>()).add(millisIn(printed,
            "cpuMillis=(\\d+)"));
        raw.add(String.join(",", "startup", config, String.valueOf(i), String.valueOf(ms)));
      }
    }
    double none = median(times.get("none"));
    double agent = median(times.get("mapaudit"));
    log.printf(Locale.ROOT, "startup: none %.0f ms, mapaudit %.0f ms%n", none, agent);
    Row r = row("startup", "Trivial main wall time, median of " + n + " (ms)", "-", false);
    r.baseline = fmt0(none) + " ms";
    r.cells.put("default", fmt0(agent) + " ms (+" + fmt0(agent - none) + ")");
    r.target = "≤ +300 ms with -javaagent";
    r.met = agent - none <= 300;
    double sync = median(times.get("mapaudit-sync"));
    Row rs = row("startup-sync", "Trivial main wall time with startup=sync (advice installed "
        + "before main), median of " + n + " (ms)", "-", false);
    rs.baseline = fmt0(none) + " ms";
    rs.cells.put("default", fmt0(sync) + " ms (+" + fmt0(sync - none) + ")");
    rs.target = "(opt-in; reference)";
    Row c = row("startup-cpu", "Trivial main: process CPU time at the end of main, median (ms)",
        "-", false);
    c.baseline = fmt0(median(cpu.get("none"))) + " ms";
    c.cells.put("default", fmt0(median(cpu.get("mapaudit"))) + " ms");
    c.target = "(noise-free view of the row above)";
    if (otelJar != null) {
      double otel = median(times.get("otel"));
      Row o = row("startup-otel", "peer: OpenTelemetry javaagent " + version(otelJar)
          + " startup, same main (ms)", "-", false);
      o.baseline = fmt0(none) + " ms";
      o.cells.put("default", fmt0(otel) + " ms (+" + fmt0(otel - none) + "), CPU "
          + fmt0(median(cpu.get("otel"))) + " ms");
      o.target = "(reference)";
    }
  }

  // ---------------------------------------------------------------- attach

  private void attach() throws Exception {
    int n = quick ? 1 : 3;
    List<Double> attachWall = new ArrayList<>();
    List<Double> firstReport = new ArrayList<>();
    List<Double> detachWall = new ArrayList<>();
    List<Double> attachAgent = new ArrayList<>();
    List<Double> detachAgent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> cmd = new ArrayList<>();
      cmd.add(java());
      cmd.addAll(dynamicAttachFlag());
      cmd.add("-cp");
      cmd.add(benchJar);
      cmd.add(AttachTarget.class.getName());
      Process target = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      try {
        BufferedReader r = new BufferedReader(new InputStreamReader(target.getInputStream(),
            StandardCharsets.UTF_8));
        String line = r.readLine();
        if (!"ready".equals(line)) {
          throw new IllegalStateException("attach target said " + line);
        }
        Thread.sleep(500);
        String pid = String.valueOf(target.pid());
        Path report = scratch.resolve("attach-report-" + i + ".json");
        Files.deleteIfExists(report);
        long t0 = System.nanoTime();
        String a = cli("attach", pid, "reportDir=" + scratch, "summary=false");
        long t1 = System.nanoTime();
        String rep = cli("report", pid, "--out", report.toString());
        long t2 = System.nanoTime();
        if (!Files.exists(report)) {
          throw new IllegalStateException("no report after: " + rep);
        }
        long t3 = System.nanoTime();
        String d = cli("detach", pid);
        long t4 = System.nanoTime();
        attachWall.add((t1 - t0) / 1e6);
        firstReport.add((t2 - t0) / 1e6);
        detachWall.add((t4 - t3) / 1e6);
        attachAgent.add(millisIn(a, "attached in (\\d+) ms"));
        detachAgent.add(millisIn(d, "classes \\[[^\\]]*\\] in (\\d+) ms"));
        raw.add(String.join(",", "attach", String.valueOf(i), String.valueOf((t1 - t0) / 1e6),
            String.valueOf((t2 - t0) / 1e6), String.valueOf((t4 - t3) / 1e6)));
      } finally {
        target.getOutputStream().close();
        if (!target.waitFor(10, TimeUnit.SECONDS)) {
          target.destroyForcibly();
        }
      }
    }
    Row r = row("attach", "attach → first report written (ms, CLI wall)", "-", false);
    r.cells.put("default", fmt0(median(firstReport)) + " ms (attach " + fmt0(median(attachWall))
        + ", of which agent " + fmt0(median(attachAgent)) + ")");
    r.target = "(reported)";
    Row d = row("detach", "detach command (ms, CLI wall)", "-", false);
    d.cells.put("detached", fmt0(median(detachWall)) + " ms (restore bytecode "
        + fmt0(median(detachAgent)) + ")");
    d.target = "(reported)";
    log.printf(Locale.ROOT, "attach: first report %.0f ms, detach %.0f ms%n", median(firstReport),
        median(detachWall));
  }

  private String cli(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.add("-jar");
    cmd.add(agentJar.toString());
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(cmd + " failed: " + text);
    }
    return text;
  }

  private static double millisIn(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  // ---------------------------------------------------------------- memory

  private void memory() throws Exception {
    for (String scenario : Arrays.asList("short-lived", "distinct-keys")) {
      long none = 0;
      long agent = 0;
      long histogram = 0;
      for (String config : Arrays.asList("none", "default")) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.add("-Xmx2g");
        if (config.equals("default")) {
          cmd.add("-javaagent:" + agentJar + "=summary=false,reportDir=" + scratch);
        }
        cmd.add("-cp");
        cmd.add(benchJar);
        cmd.add(MemoryWorkload.class.getName());
        cmd.add(scenario);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        try {
          BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
              StandardCharsets.UTF_8));
          long heap = -1;
          String line;
          while ((line = r.readLine()) != null && !line.equals("ready")) {
            if (line.startsWith("heapAfterGc=")) {
              heap = Long.parseLong(line.substring("heapAfterGc=".length()).split(" ")[0]);
            }
          }
          if (heap < 0) {
            throw new IllegalStateException("memory workload gave no figure: " + cmd);
          }
          if (config.equals("none")) {
            none = heap;
          } else {
            agent = heap;
            histogram = agentHistogram(p.pid());
          }
          raw.add(String.join(",", "memory", scenario, config, String.valueOf(heap)));
        } finally {
          p.getOutputStream().close();
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        }
      }
      double mb = (agent - none) / (1024.0 * 1024.0);
      log.printf(Locale.ROOT, "memory %s: %+.1f MB (agent classes %.1f MB)%n", scenario, mb,
          histogram / (1024.0 * 1024.0));
      Row r = row("memory-" + scenario, scenario.equals("short-lived")
          ? "agent heap after 10 M short-lived maps (MB)"
          : "agent heap with 1 M distinct keys in one map (MB)", "-", false);
      r.baseline = fmt1(none / (1024.0 * 1024.0)) + " MB used";
      r.cells.put("default", String.format(Locale.ROOT, "%+.1f MB (io.mapaudit.* objects %d KB)",
          mb, histogram / 1024));
      r.target = "≤ 32 MB";
      r.met = mb <= 32;
    }
  }

  /** Shallow bytes of io.mapaudit.* instances (jcmd GC.class_histogram), or -1. */
  private static long agentHistogram(long pid) {
    try {
      Process p = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "jcmd")
          .toString(), String.valueOf(pid), "GC.class_histogram").redirectErrorStream(true)
          .start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(60, TimeUnit.SECONDS);
      long sum = 0;
      for (String line : text.split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 4 && f[3].startsWith("io.mapaudit.")) {
          sum += Long.parseLong(f[2]);
        }
      }
      return sum;
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return -1;
    }
  }

  // ---------------------------------------------------------------- peers

  private void peers() throws Exception {
    int seconds = quick ? 10 : 20;
    Map<String, Double> ratio = new LinkedHashMap<>();
    peer("mapaudit", seconds, ratio);
    if (arthasHome != null) {
      peer("arthas", seconds, ratio);
    } else {
      notes.add("Arthas not measured: no --arthas home given");
    }
  }

  /*
   * A live JVM running HashMap.get in a loop (PeerTarget prints its rate every 500 ms); after
   * a few samples the tool attaches, and the rate after attach (its first second skipped: JIT)
   * is compared with the rate before.
   */
  private void peer(String tool, int seconds, Map<String, Double> ratio) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(dynamicAttachFlag());
    cmd.add("-cp");
    cmd.add(benchJar);
    cmd.add(PeerTarget.class.getName());
    cmd.add(String.valueOf(seconds));
    Process target = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<Double> before = new ArrayList<>();
    List<Double> after = new ArrayList<>();
    StringBuilder died = new StringBuilder();
    String toolOutput = "";
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(target.getInputStream(),
          StandardCharsets.UTF_8));
      String line;
      while (before.size() < 8 && (line = r.readLine()) != null) {
        if (line.startsWith("mops=")) {
          before.add(Double.parseDouble(line.substring(5)));
        }
      }
      String pid = String.valueOf(target.pid());
      String[] outText = new String[1];
      Thread attacher = new Thread(() -> {
        if (tool.equals("mapaudit")) {
          try {
            outText[0] = cli("attach", pid, "reportDir=" + scratch, "summary=false");
          } catch (Exception e) {
            outText[0] = "attach failed: " + e;
          }
        } else {
          outText[0] = arthas(pid);
        }
      }, "peer-attach");
      attacher.setDaemon(true);
      attacher.start();
      int skipped = 0;
      boolean attached = false;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("mops=")) {
          if (!attached) {
            attached = !attacher.isAlive();
            continue;
          }
          if (skipped++ < 2) {
            continue;
          }
          after.add(Double.parseDouble(line.substring(5)));
        } else if (line.startsWith("died:")) {
          died.append(line.substring("died:".length()).trim());
        } else if (died.length() > 0 && line.contains("SpyImpl") && died.indexOf(" at ") < 0) {
          died.append(" at ").append(line.trim().substring(3));
        }
      }
      attacher.join(died.length() > 0 ? 5_000 : 60_000);
      Process client = arthasClient;
      if (client != null) {
        client.destroyForcibly(); // its batch mode never ends once the target is gone
      }
      toolOutput = outText[0] == null ? "" : outText[0];
    } finally {
      if (!target.waitFor(seconds + 60, TimeUnit.SECONDS)) {
        target.destroyForcibly();
      }
    }
    String label = tool.equals("mapaudit")
        ? "live attach, HashMap.get loop: mapaudit attach (default settings)"
        : "peer: Arthas " + arthasVersion() + " `monitor -c 5 java.util.HashMap get` on the "
            + "same loop";
    Row row = row("peer-" + tool, label + " (Mops/s)", "1", true);
    row.baseline = fmt1(median(before)) + " Mops/s";
    raw.add(String.join(",", "peer", tool, String.valueOf(median(before)),
        String.valueOf(after.isEmpty() ? Double.NaN : median(after)),
        died.toString().replace(',', ';')));
    if (died.length() > 0) {
      row.cells.put(tool.equals("mapaudit") ? "default" : "sampling1",
          "**host thread died**: " + died.toString().trim());
      row.target = "must not harm the host";
      row.met = false;
      notes.add(tool + ": " + died.toString().trim());
    } else if (after.isEmpty()) {
      row.cells.put("default", "no sample after attach: " + toolOutput.trim());
    } else {
      double q = median(after) / median(before);
      ratio.put(tool, q);
      row.cells.put(tool.equals("mapaudit") ? "default" : "sampling1",
          String.format(Locale.ROOT, "%.2f× time (%.1f Mops/s)", 1 / q, median(after)));
      row.target = "(reported)";
    }
    log.printf(Locale.ROOT, "peer %s: before %.1f, after %s%s%n", tool, median(before),
        after.isEmpty() ? "-" : fmt1(median(after)), died.length() > 0 ? ", died" : "");
  }

  /*
   * Arthas batch mode (arthas-boot -c): attaches, turns on unsafe mode (needed for JDK
   * classes), runs `monitor` on HashMap.get for a few cycles. Returns its output.
   */
  private String arthas(String pid) {
    try {
      List<String> cmd = new ArrayList<>();
      cmd.add(java());
      cmd.add("-jar");
      cmd.add(arthasHome.resolve("arthas-boot.jar").toString());
      cmd.add("--arthas-home");
      cmd.add(arthasHome.toString());
      cmd.add("--telnet-port");
      cmd.add(String.valueOf(freePort()));
      cmd.add("--http-port");
      cmd.add("-1");
      cmd.add("-c");
      cmd.add("options unsafe true; monitor -c 5 -n 2 java.util.HashMap get");
      cmd.add(pid);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      arthasClient = p;
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "arthas failed: " + e;
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private String arthasVersion() {
    Matcher m = Pattern.compile("(\\d+\\.\\d+\\.\\d+)").matcher(arthasHome.toString());
    return m.find() ? m.group(1) : "";
  }

  private static String version(Path jar) {
    Matcher m = Pattern.compile("(\\d+\\.\\d+\\.\\d+)").matcher(jar.getFileName().toString());
    return m.find() ? m.group(1) : "";
  }

  // ---------------------------------------------------------------- table

  /** One table row: ratios (JMH) or free-form cells (the rest). */
  static final class Row {
    final String label;
    final String threads;
    final boolean higherIsBetter;
    final Map<String, List<Double>> ratios = new LinkedHashMap<>();
    final List<Double> baselines = new ArrayList<>();
    String baseline;
    final Map<String, String> cells = new LinkedHashMap<>();
    String target;
    Boolean met;

    Row(String label, String threads, boolean higherIsBetter) {
      this.label = label;
      this.threads = threads;
      this.higherIsBetter = higherIsBetter;
    }

    void addRound(Map<String, Double> scores) {
      Double none = scores.get("none");
      baselines.add(none);
      for (Map.Entry<String, Double> e : scores.entrySet()) {
        if (!e.getKey().equals("none")) {
          // Time ratio for both kinds: ns/op over ns/op, or ops/s of none over ops/s.
          double q = higherIsBetter ? none / e.getValue() : e.getValue() / none;
          ratios.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(q);
        }
      }
    }
  }

  private Row row(String key, String label, String threads, boolean higherIsBetter) {
    return rows.computeIfAbsent(key, k -> new Row(label, threads, higherIsBetter));
  }

  private String table(double loadBefore, double loadAfter, double seconds) {
    StringBuilder s = new StringBuilder();
    s.append("## mapaudit overhead — ").append(Instant.now()).append('\n');
    s.append(String.format(Locale.ROOT, "JDK %s (%s), %d CPUs, %s %s; load average %.1f → %.1f; "
            + "%s mode, %d round(s), %.0f min%n%n", System.getProperty("java.vm.version"),
        System.getProperty("java.vm.vendor"), Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"), System.getProperty("os.arch"), loadBefore, loadAfter,
        quick ? "quick" : "full", rounds, seconds / 60));
    s.append("Ratios are time ratios against no agent from the same round (1.00× = no cost; for "
        + "throughput rows no-agent ops/s ÷ ops/s); median over rounds, [min–max] when more "
        + "than one.\n\n");
    // Configurations outside the fixed columns (gate, NAME@alt) get columns of their own.
    List<String> columns = new ArrayList<>(CONFIGS.subList(1, CONFIGS.size()));
    for (Row r : rows.values()) {
      for (String c : r.ratios.keySet()) {
        if (!columns.contains(c)) {
          columns.add(c);
        }
      }
    }
    s.append("| measure | threads | no agent");
    for (String c : columns) {
      s.append(" | ").append(COLUMN_TITLES.getOrDefault(c, c));
    }
    s.append(" | target | met |\n|---|---|---");
    for (int i = 0; i < columns.size(); i++) {
      s.append("|---");
    }
    s.append("|---|---|\n");
    for (Row r : rows.values()) {
      s.append("| ").append(r.label).append(" | ").append(r.threads).append(" | ");
      if (!r.baselines.isEmpty()) {
        s.append(r.higherIsBetter ? fmt0(median(r.baselines)) + " ops/s"
            : fmt2(median(r.baselines)) + " ns");
      } else {
        s.append(r.baseline == null ? "" : r.baseline);
      }
      for (String c : columns) {
        s.append(" | ");
        if (r.ratios.containsKey(c)) {
          s.append(ratioCell(r, c));
        } else if (r.cells.containsKey(c)) {
          s.append(r.cells.get(c));
        } else {
          s.append("—");
        }
      }
      String target = r.target;
      Boolean met = r.met;
      if (target == null && !r.ratios.isEmpty()) {
        target = r.higherIsBetter ? "default ≤ 3 % loss" : "off ≤ 1.05×, default ≤ 1.3×, "
            + "sampling=1 ≤ 3×, detach ≤ 1.03×";
        met = jmhMet(r);
      }
      s.append(" | ").append(target == null ? "" : target).append(" | ")
          .append(met == null ? "" : met ? "yes" : "**no**").append(" |\n");
    }
    if (!notes.isEmpty()) {
      s.append("\nNotes:\n");
      for (String n : notes) {
        s.append("- ").append(n).append('\n');
      }
    }
    return s.toString();
  }

  private static Boolean jmhMet(Row r) {
    if (r.higherIsBetter) {
      List<Double> d = r.ratios.get("default");
      return d == null ? null : 1 - 1 / median(d) <= 0.03;
    }
    Boolean met = null; // stays null when no configuration with a target was measured
    for (Map.Entry<String, Double> t : JMH_LIMITS.entrySet()) {
      List<Double> q = r.ratios.get(t.getKey());
      if (q != null) {
        met = (met == null || met) && median(q) <= t.getValue();
      }
    }
    return met;
  }

  /** The JMH rows' targets: the largest median time ratio each configuration may have. */
  private static final Map<String, Double> JMH_LIMITS = new LinkedHashMap<>();

  static {
    JMH_LIMITS.put("off", 1.05);
    JMH_LIMITS.put("default", 1.3);
    JMH_LIMITS.put("attached", 1.3);
    JMH_LIMITS.put("sampling1", 3.0);
    JMH_LIMITS.put("detached", 1.03);
  }

  private String ratioCell(Row r, String config) {
    List<Double> q = r.ratios.get(config);
    String cell;
    if (r.higherIsBetter) {
      double loss = 1 - 1 / median(q);
      cell = String.format(Locale.ROOT, "%.2f× (%+.1f %% thr.)", median(q), -loss * 100);
    } else {
      cell = String.format(Locale.ROOT, "%.2f×", median(q));
    }
    if (q.size() > 1) {
      cell += String.format(Locale.ROOT, " [%.2f–%.2f]", Collections.min(q), Collections.max(q));
    }
    return cell;
  }

  // ---------------------------------------------------------------- helpers

  static double median(List<Double> values) {
    List<Double> v = new ArrayList<>();
    for (Double d : values) {
      if (d != null && !d.isNaN()) {
        v.add(d);
      }
    }
    if (v.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(v);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  private static String fmt0(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static String fmt1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String fmt2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String required(Map<String, String> a, String key) {
    String v = a.get(key);
    if (v == null) {
      throw new IllegalArgumentException("--" + key + " is required");
    }
    return v;
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String key = args[i].substring(2);
      if (key.equals("quick") || key.equals("help")) {
        a.put(key, "true");
      } else if (i + 1 < args.length) {
        a.put(key, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + key + " needs a value");
      }
    }
    return a;
  }
}

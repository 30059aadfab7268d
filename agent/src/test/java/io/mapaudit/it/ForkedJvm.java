package io.mapaudit.it;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A JVM started by a test: the real shaded agent jar, the JDK under test
 * ({@code -Dmapaudit.test.jdk}), a timeout and {@code destroyForcibly} on every path (the shape of
 * async-profiler's TestProcess). Standard output is read line by line so a test can wait for a
 * program's markers; standard error is kept in full.
 */
public final class ForkedJvm implements AutoCloseable {
  public static final Path AGENT_JAR = Paths.get(System.getProperty("mapaudit.agent.jar",
      "target/mapaudit-agent.jar")).toAbsolutePath();

  private final Process process;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final List<String> allStdout = new ArrayList<>();
  private final StringBuffer stderr = new StringBuffer();
  private final BufferedWriter stdin;
  private final Thread outReader;
  private final Thread errReader;

  private ForkedJvm(List<String> command, Path workDir) throws IOException {
    this(command, workDir, null);
  }

  private ForkedJvm(List<String> command, Path workDir, java.util.Map<String, String> env)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    if (env != null) {
      // The test's own OTEL_* settings must not leak into the program (export tests).
      pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_"));
      pb.environment().putAll(env);
    }
    this.process = pb.start();
    this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(),
        StandardCharsets.UTF_8));
    this.outReader = pump(new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8)), line -> {
          synchronized (allStdout) {
            allStdout.add(line);
          }
          stdout.add(line);
        });
    this.errReader = pump(new BufferedReader(new InputStreamReader(process.getErrorStream(),
        StandardCharsets.UTF_8)), line -> stderr.append(line).append('\n'));
  }

  private static Thread pump(BufferedReader r, java.util.function.Consumer<String> sink) {
    Thread t = new Thread(() -> {
      try {
        for (String line; (line = r.readLine()) != null; ) {
          sink.accept(line);
        }
      } catch (IOException ignored) {
        // Process ended.
      }
    }, "forked-jvm-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** {@code java} of the JDK under test. */
  public static String java() {
    String home = System.getProperty("mapaudit.test.jdk", System.getProperty("java.home"));
    return Paths.get(home, "bin", "java").toString();
  }

  /** The JDK's feature version of {@link #java()}, e.g. 17 or 25. */
  public static int javaFeatureVersion() throws Exception {
    Process p = new ProcessBuilder(java(), "-version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("version \"(\\d+)").matcher(out);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /**
   * The test class path without the agent's and bootstrap's own classes: in the forked JVM they
   * must come from the agent jar only, as in production.
   */
  public static String testClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("mapaudit-bootstrap") && !e.contains("bootstrap/target/classes")
            && !e.endsWith("agent/target/classes") && !e.contains("mapaudit-agent"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** Starts {@code mainClass} with the given JVM options and program arguments. */
  public static ForkedJvm start(Path workDir, List<String> jvmOptions, String mainClass,
      String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.add("-Xmx512m");
    cmd.add("-XX:+EnableDynamicAgentLoading");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(testClassPath());
    cmd.add(mainClass);
    cmd.addAll(Arrays.asList(args));
    Files.createDirectories(workDir);
    return new ForkedJvm(cmd, workDir);
  }

  /**
   * Starts {@code mainClass} with its own class path and environment: no inherited
   * {@code OTEL_*} variables, then {@code env} added.
   */
  public static ForkedJvm start(Path workDir, List<String> jvmOptions, String classPath,
      java.util.Map<String, String> env, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.add("-Xmx512m");
    cmd.add("-XX:+EnableDynamicAgentLoading");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.addAll(Arrays.asList(args));
    Files.createDirectories(workDir);
    return new ForkedJvm(cmd, workDir, env);
  }

  /** Runs the agent CLI ({@code java -jar mapaudit-agent.jar args}) to completion. */
  public static Result cli(Path workDir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.add("-jar");
    cmd.add(AGENT_JAR.toString());
    cmd.addAll(Arrays.asList(args));
    Files.createDirectories(workDir);
    try (ForkedJvm jvm = new ForkedJvm(cmd, workDir)) {
      return jvm.await(120);
    }
  }

  /**
   * {@code -javaagent:<jar>=<options>}, with {@code startup=sync} added unless the options name a
   * startup: the tests count operations from the first line of main, which the default async
   * start does not promise to see (StartupIT covers the async start itself).
   */
  public static String javaagent(String options) {
    String o = options == null ? "" : options;
    if (!o.contains("startup=")) {
      o = o.isEmpty() ? "startup=sync" : "startup=sync," + o;
    }
    return "-javaagent:" + AGENT_JAR + "=" + o;
  }

  public long pid() {
    return process.pid();
  }

  /** Waits for a stdout line starting with {@code prefix}; returns it. */
  public String expectLine(String prefix, long timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : stdout.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no line starting with '" + prefix + "' within "
            + timeoutSeconds + " s; stdout=" + stdoutLines() + " stderr=" + stderr);
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Sends one line to the program's standard input. */
  public void send(String line) throws IOException {
    stdin.write(line);
    stdin.newLine();
    stdin.flush();
  }

  /** Waits for the process to end (killing it after the timeout) and returns what it printed. */
  public Result await(long timeoutSeconds) throws InterruptedException {
    boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    outReader.join(5_000);
    errReader.join(5_000);
    return new Result(done ? process.exitValue() : -1, !done, stdoutLines(), stderr.toString());
  }

  public List<String> stdoutLines() {
    synchronized (allStdout) {
      return new ArrayList<>(allStdout);
    }
  }

  public String stderr() {
    return stderr.toString();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** What a finished JVM left. */
  public static final class Result {
    public final int exitCode;
    public final boolean timedOut;
    public final List<String> stdout;
    public final String stderr;

    Result(int exitCode, boolean timedOut, List<String> stdout, String stderr) {
      this.exitCode = exitCode;
      this.timedOut = timedOut;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    public String stdoutText() {
      return String.join("\n", stdout);
    }

    @Override
    public String toString() {
      return "exit=" + exitCode + (timedOut ? " (timed out)" : "") + "\nstdout:\n" + stdoutText()
          + "\nstderr:\n" + stderr;
    }
  }
}

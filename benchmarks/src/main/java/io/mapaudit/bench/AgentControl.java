package io.mapaudit.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside a benchmark fork, before its first iteration: the configurations that are not a
 * JVM flag. Driven by system properties that BenchMain passes to the fork.
 *
 * <p>{@code mapaudit.bench.attachDetach=AGENT_JAR}: attach mapaudit to this JVM with its CLI
 * (a separate process, as a user would), then detach it: the "after detach" configuration.
 *
 * <p>{@code mapaudit.bench.attach=AGENT_JAR}: attach it the same way and leave it on, with default
 * settings: the "attached" configuration (the agent's cost without its start-up side effect on
 * the JIT's profile of {@code HashMap}, see BENCHMARKS.md).
 */
public final class AgentControl {
  private static boolean prepared;

  private AgentControl() {}

  /** Idempotent; every benchmark state calls it from its trial setup. */
  public static synchronized void prepare() {
    if (prepared) {
      return;
    }
    prepared = true;
    String agent = System.getProperty("mapaudit.bench.attachDetach");
    if (agent != null) {
      String pid = String.valueOf(ProcessHandle.current().pid());
      String reports = System.getProperty("java.io.tmpdir");
      run(java("-jar", agent, "attach", pid, "reportDir=" + reports, "summary=false"));
      run(java("-jar", agent, "detach", pid));
    }
    String attachOnly = System.getProperty("mapaudit.bench.attach");
    if (attachOnly != null) {
      String pid = String.valueOf(ProcessHandle.current().pid());
      run(java("-jar", attachOnly, "attach", pid, "reportDir=" + System.getProperty(
          "java.io.tmpdir"), "summary=false"));
    }
  }

  static List<String> java(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  private static void run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(cmd + " failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(cmd + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

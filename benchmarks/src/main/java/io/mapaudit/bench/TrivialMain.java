package io.mapaudit.bench;

/**
 * The trivial main of the startup measurement: prints one line, and the process's CPU time so far
 * (all threads, the agent's premain included; the exit hooks are not) as "cpuMillis=N".
 */
public final class TrivialMain {
  private TrivialMain() {}

  public static void main(String[] args) {
    System.out.println("hello");
    // No lambda here: its bootstrap would be part of every configuration's time.
    java.util.Optional<java.time.Duration> cpu = ProcessHandle.current().info()
        .totalCpuDuration();
    System.out.println("cpuMillis=" + (cpu.isPresent() ? cpu.get().toMillis() : -1L));
  }
}

package io.mapaudit.agent;

import java.io.File;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * {@code Premain-Class} and {@code Agent-Class}. Appends the nested bootstrap jar to the boot class
 * path once, then hands off to {@link AgentRuntime}. Holds no state, logs nothing, and never lets a
 * throwable escape: the application runs on whatever happens here.
 */
public final class MapAuditAgent {
  private static final String BOOTSTRAP_JAR = "/META-INF/mapaudit/mapaudit-bootstrap.jar";
  private static final String DISPATCHER = "io.mapaudit.bootstrap.MapAccessDispatcher";

  private MapAuditAgent() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, "premain");
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, "attach");
  }

  private static void start(String args, Instrumentation inst, String mode) {
    try {
      boolean async = false;
      if (mode.equals("premain")) {
        // Reject bad options before the boot class path changes: the application must run
        // exactly as without the agent, apart from this one line.
        async = AttachProtocol.options(args).asyncStartup();
      }
      appendBootstrap(inst);
      if (async) {
        // startup=async: Byte Buddy's class loading and the retransformation (most of the agent's
        // start-up cost) run beside the application instead of before its main (BENCHMARKS.md).
        Thread installer = new Thread(() -> AgentRuntime.handle(args, inst, mode),
            "mapaudit-install");
        installer.setDaemon(true);
        installer.start();
      } else {
        AgentRuntime.handle(args, inst, mode);
      }
    } catch (io.mapaudit.agent.config.OptionException e) {
      System.err.println("mapaudit: " + e.getMessage() + " (agent disabled)");
    } catch (Throwable e) {
      System.err.println("mapaudit: cannot start: " + e + " (agent disabled)");
    }
  }

  /** Makes the dispatcher boot-loadable, unless an earlier attach already did. */
  private static void appendBootstrap(Instrumentation inst) throws Exception {
    try {
      Class.forName(DISPATCHER, false, null);
      return;
    } catch (ClassNotFoundException notYet) {
      // First attach in this JVM.
    }
    Path jar = Files.createTempFile("mapaudit-bootstrap", ".jar");
    try (InputStream in = MapAuditAgent.class.getResourceAsStream(BOOTSTRAP_JAR)) {
      if (in == null) {
        throw new IllegalStateException(BOOTSTRAP_JAR + " missing from the agent jar");
      }
      Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
    }
    File file = jar.toFile();
    file.deleteOnExit();
    inst.appendToBootstrapClassLoaderSearch(new JarFile(file));
  }
}

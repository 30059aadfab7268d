package io.mapaudit.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.JarFile;
import net.bytebuddy.dynamic.loading.ClassInjector;

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
      byteBuddySafeMode();
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

  /**
   * Keeps our (shaded) Byte Buddy from probing {@code sun.misc.Unsafe} for class injection: JDK
   * 24+ prints a deprecation warning on the host's stderr for it (JEP 498), and the agent injects
   * no classes. The constant is relocated with the library, so this names our copy's switch only;
   * a value the user set wins.
   */
  private static void byteBuddySafeMode() {
    try {
      if (System.getProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY) == null) {
        System.setProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
      }
    } catch (SecurityException e) {
      // A security manager that forbids it costs only the JDK 24+ warning line, not the agent.
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
    Path jar = newTempJar();
    try (InputStream in = MapAuditAgent.class.getResourceAsStream(BOOTSTRAP_JAR);
        OutputStream out = Files.newOutputStream(jar)) {
      if (in == null) {
        throw new IllegalStateException(BOOTSTRAP_JAR + " missing from the agent jar");
      }
      in.transferTo(out);
    }
    File file = jar.toFile();
    file.deleteOnExit();
    inst.appendToBootstrapClassLoaderSearch(new JarFile(file));
  }

  /*
   * Files.createTempFile names the file from a SecureRandom, whose first use costs ~20 ms of
   * startup (provider and digest initialisation). The pid and the clock name it uniquely; the
   * file is created exclusively (no symlink is followed) and owner-only, as createTempFile does.
   * Should the name be taken, createTempFile takes over.
   */
  private static Path newTempJar() throws IOException {
    Path dir = Paths.get(System.getProperty("java.io.tmpdir"));
    String name = "mapaudit-bootstrap-" + ProcessHandle.current().pid() + "-"
        + Long.toHexString(System.nanoTime()) + ".jar";
    FileAttribute<?> ownerOnly =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    try {
      return Files.createFile(dir.resolve(name), ownerOnly);
    } catch (UnsupportedOperationException | IOException e) {
      return Files.createTempFile("mapaudit-bootstrap", ".jar");
    }
  }
}

package io.mapaudit.agent.instrument;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * Installs Byte Buddy's agent into the test JVM and appends the bootstrap classes to the boot
 * class path, as premain does. Must run before any test code links a bootstrap class (surefire
 * forks a JVM per test class for that reason).
 */
final class InProcessAgent {
  private static Instrumentation inst;

  private InProcessAgent() {}

  static synchronized Instrumentation instrumentation() throws IOException {
    if (inst == null) {
      Instrumentation i = ByteBuddyAgent.install();
      i.appendToBootstrapClassLoaderSearch(new JarFile(bootstrapJar()));
      inst = i;
    }
    return inst;
  }

  /** The bootstrap jar on the test class path, or a jar made from its class directory. */
  private static File bootstrapJar() throws IOException {
    URL url = ClassLoader.getSystemResource("io/mapaudit/bootstrap/MapAccessDispatcher.class");
    if (url == null) {
      throw new IllegalStateException("bootstrap classes are not on the test class path");
    }
    String s = url.toString();
    if (s.startsWith("jar:file:")) {
      return new File(s.substring("jar:file:".length(), s.indexOf("!/")));
    }
    Path classes = Paths.get(s.substring("file:".length())).getParent().getParent().getParent()
        .getParent();
    Path jar = Files.createTempFile("mapaudit-bootstrap-test", ".jar");
    jar.toFile().deleteOnExit();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
        try (OutputStream o = new NonClosing(out)) {
          Files.copy(p, o);
        }
        out.closeEntry();
      }
    }
    return jar.toFile();
  }

  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}

package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/** What the shade plugin made of the OpenTelemetry and Prometheus libraries in the agent jar. */
final class OtelShadedJarIT {
  private static final String SHADED = "io.mapaudit.shaded.io.opentelemetry.";
  private static final String PATCH_LOGGER = "io/mapaudit/agent/otel/PatchLogger";

  @Test
  void jar_everyLibraryClassRelocated_noMultiReleaseLeftovers() throws IOException {
    List<String> stray = new ArrayList<>();
    try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.endsWith(".class") && !name.startsWith("io/mapaudit/")) {
          stray.add(name);
        }
        if (name.startsWith("META-INF/versions/") && name.endsWith(".class")) {
          stray.add(name);
        }
      }
    }
    assertThat(stray).isEmpty();
  }

  @Test
  void senderService_relocated_foundThroughServiceLoader() throws Exception {
    try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile());
        URLClassLoader loader = new URLClassLoader(new URL[] {ForkedJvm.AGENT_JAR.toUri().toURL()},
            ClassLoader.getPlatformClassLoader())) {
      String service = SHADED + "sdk.common.export.HttpSenderProvider";
      assertThat(jar.getEntry("META-INF/services/" + service)).isNotNull();
      assertThat(jar.getEntry("META-INF/services/io.opentelemetry.sdk.common.export"
          + ".HttpSenderProvider")).isNull();
      List<String> found = new ArrayList<>();
      for (Object p : ServiceLoader.load(Class.forName(service, false, loader), loader)) {
        found.add(p.getClass().getName());
      }
      assertThat(found).containsExactly(SHADED + "exporter.sender.jdk.internal.JdkHttpSenderProvider");
    }
  }

  @Test
  void julLogger_replaced_everyCalledPatchLoggerMethodExists() throws Exception {
    Set<String> called = new TreeSet<>();
    List<String> julUsers = new ArrayList<>();
    try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        if (!entry.getName().endsWith(".class")) {
          continue;
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
          bytes = in.readAllBytes();
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.contains("java/util/logging/Logger") || text.contains("java/util/logging/LogManager")) {
          julUsers.add(entry.getName());
        }
        if (text.contains(PATCH_LOGGER)) {
          new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig,
                String[] exceptions) {
              return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitMethodInsn(int op, String owner, String m, String d, boolean itf) {
                  if (owner.equals(PATCH_LOGGER) && !m.startsWith("<")) {
                    called.add(m + d);
                  }
                }
              };
            }
          }, ClassReader.SKIP_FRAMES);
        }
      }
    }
    assertThat(julUsers).as("classes still calling JUL's Logger or LogManager").isEmpty();
    assertThat(called).contains("getLogger(Ljava/lang/String;)L" + PATCH_LOGGER + ";");
    Set<String> declared = new HashSet<>();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {ForkedJvm.AGENT_JAR.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      for (java.lang.reflect.Method m : Class.forName(PATCH_LOGGER.replace('/', '.'), false, loader)
          .getDeclaredMethods()) {
        declared.add(m.getName() + net.bytebuddy.jar.asm.Type.getMethodDescriptor(m));
      }
    }
    assertThat(declared).containsAll(called);
  }
}

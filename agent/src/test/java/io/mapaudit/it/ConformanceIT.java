package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mapaudit.it.apps.GuavaConformance;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Semantic safety: Guava testlib's map conformance suites pass on the instrumented maps, with every
 * operation recorded ({@code sampling=1}), and the agent suppressed no error while they ran.
 */
final class ConformanceIT {
  private static final Path WORK = Paths.get("target", "it-work", "conformance").toAbsolutePath();

  @Test
  void guavaMapSuites_underAgentAtSamplingOne_allPassWithNoAdviceErrors() throws Exception {
    int withAgent = runSuites("agent", List.of(ForkedJvm.javaagent(
        "sampling=1,reportDir=" + WORK.resolve("agent"))));
    int without = runSuites("plain", List.of());
    System.out.println("guava-testlib map conformance tests run under the agent: " + withAgent);
    assertThat(withAgent).isEqualTo(without).isGreaterThan(5000);
  }

  /** Runs the suites in a forked JVM; asserts all passed; returns how many ran. */
  private static int runSuites(String name, List<String> jvmOptions) throws Exception {
    ForkedJvm.Result r;
    try (ForkedJvm jvm = ForkedJvm.start(WORK.resolve(name), jvmOptions,
        GuavaConformance.class.getName())) {
      r = jvm.await(600);
    }
    Matcher m = Pattern.compile("TESTS run=(\\d+) failures=(\\d+) errors=(\\d+)")
        .matcher(r.stdoutText());
    assertThat(m.find()).as(r.toString()).isTrue();
    assertThat(m.group(2)).as(r.stdoutText()).isEqualTo("0");
    assertThat(m.group(3)).as(r.stdoutText()).isEqualTo("0");
    assertThat(r.stdoutText()).contains("ADVICE_ERRORS 0");
    assertThat(r.exitCode).isZero();
    return Integer.parseInt(m.group(1));
  }
}

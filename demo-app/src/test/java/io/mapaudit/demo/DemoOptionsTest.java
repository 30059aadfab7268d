package io.mapaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class DemoOptionsTest {

  @Test
  void parse_noArguments_usesDefaults() {
    DemoOptions options = DemoOptions.parse();

    assertThat(options.seconds()).isEqualTo(20);
    assertThat(options.port()).isZero();
    assertThat(options.fixed()).isFalse();
    assertThat(options.load()).isTrue();
    assertThat(options.rate()).isEqualTo(2000);
    assertThat(options.incidents()).isEqualTo(EnumSet.allOf(Incident.class));
    assertThat(options.help()).isFalse();
  }

  @Test
  void parse_everyOption_isApplied() {
    DemoOptions options = DemoOptions.parse(
        "--seconds", "5", "--port", "8080", "--fixed", "--no-load", "--rate", "500", "--only", "routing,hotkey");

    assertThat(options.seconds()).isEqualTo(5);
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.fixed()).isTrue();
    assertThat(options.load()).isFalse();
    assertThat(options.rate()).isEqualTo(500);
    assertThat(options.incidents()).containsExactly(Incident.ROUTING, Incident.HOTKEY);
  }

  @Test
  void parse_skip_removesIncidents() {
    assertThat(DemoOptions.parse("--skip", "refresh,metrics").incidents())
        .containsExactly(Incident.SETTLEMENT, Incident.ROUTING, Incident.IDEMPOTENCY, Incident.HOTKEY);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "--bogus",
      "--seconds",
      "--seconds x",
      "--seconds -1",
      "--port 65536",
      "--rate 0",
      "--rate --fixed",
      "--only foo",
      "--only routing,,hotkey",
      "--only routing --skip hotkey",
      "--skip settlement,routing,idempotency,refresh,metrics,hotkey"})
  void parse_badArguments_throwsOneLineMessage(String args) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> DemoOptions.parse(args.split(" ")))
        .satisfies(e -> assertThat(e.getMessage()).isNotBlank().doesNotContain("\n"));
  }

  @Test
  void run_badArgument_printsOneLineOnStderrAndReturns2() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = DemoApp.run(new String[] {"--port", "http"}, print(out), print(err));

    assertThat(code).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("demo-app: --port expects an integer")
        .hasLineCount(1);
  }

  @Test
  void run_help_printsUsageAndReturns0() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int code = DemoApp.run(new String[] {"--help"}, print(out), print(new ByteArrayOutputStream()));

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: java -jar mapaudit-demo-app.jar");
  }

  static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}

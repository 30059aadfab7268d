package io.mapaudit.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

final class AgentOptionsTest {
  @Test
  void parse_nullOrBlank_defaults() throws Exception {
    for (String s : new String[] {null, "", "  "}) {
      AgentOptions o = AgentOptions.parse(s);
      assertThat(o.sampling()).isEqualTo(1024);
      assertThat(o.enabled()).isTrue();
      assertThat(o.asyncStartup()).isTrue();
      assertThat(o.debug()).isFalse();
      assertThat(o.keys()).isEqualTo("plain");
      assertThat(o.include()).isEmpty();
      assertThat(o.ringSize()).isEqualTo(256);
      assertThat(o.watchNanos()).isEqualTo(200_000L);
      assertThat(o.heatWindowMillis()).isEqualTo(60_000L);
    }
  }

  @Test
  void parse_everyKnownOption_isApplied() throws Exception {
    AgentOptions o = AgentOptions.parse("sampling=1,enabled=false,debug=true,reportDir=/tmp/x,"
        + "include=com.acme;org.shop,exclude=com.acme.gen,ringSize=1024,maxMaps=50,keys=HASH,"
        + "topK=5,heatWindow=10s,hotKeyShare=0.5,watchNanos=250us,watchBudget=0.02,"
        + "summary=off,otel=on,otel.endpoint=http://127.0.0.1:4318,otel.serviceName=svc,"
        + "prometheus=127.0.0.1:9464,startup=sync");
    assertThat(o.asyncStartup()).isFalse();
    assertThat(o.sampling()).isEqualTo(1);
    assertThat(o.enabled()).isFalse();
    assertThat(o.debug()).isTrue();
    assertThat(o.reportDir().toString()).isEqualTo("/tmp/x");
    assertThat(o.include()).containsExactly("com.acme", "org.shop");
    assertThat(o.exclude()).containsExactly("com.acme.gen");
    assertThat(o.ringSize()).isEqualTo(1024);
    assertThat(o.maxMaps()).isEqualTo(50);
    assertThat(o.keys()).isEqualTo("hash");
    assertThat(o.topK()).isEqualTo(5);
    assertThat(o.heatWindowMillis()).isEqualTo(10_000L);
    assertThat(o.hotKeyShare()).isEqualTo(0.5);
    assertThat(o.watchNanos()).isEqualTo(250_000L);
    assertThat(o.watchBudget()).isEqualTo(0.02);
    assertThat(o.summary()).isFalse();
    assertThat(o.otel()).isEqualTo("on");
    assertThat(o.get("otel.serviceName")).isEqualTo("svc");
  }

  @Test
  void parse_samplingOne_defaultsToLargerRing() throws Exception {
    assertThat(AgentOptions.parse("sampling=1").ringSize()).isEqualTo(8192);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "samplin=1                 | unknown option 'samplin'",
      "sampling                  | option 'sampling' is not key=value",
      "=1                        | option '=1' is not key=value",
      "sampling=1,,debug=true    | empty option",
      "sampling=1,sampling=2     | option 'sampling' given twice",
      "sampling=0                | sampling must be between 1 and",
      "sampling=-5               | sampling must be between 1 and",
      "sampling=abc              | sampling must be a whole number",
      "sampling=99999999999999   | sampling must be between 1 and",
      "enabled=maybe             | enabled must be true or false",
      "debug=1                   | debug must be true or false",
      "reportDir=                | reportDir must not be empty",
      "include=com.acme;;x       | include must be package prefixes",
      "exclude=com/acme          | exclude must be package prefixes",
      "ringSize=1000             | ringSize must be a power of two",
      "ringSize=8                | ringSize must be between 16",
      "maxMaps=0                 | maxMaps must be between 1",
      "keys=raw                  | keys must be one of plain|hash|off",
      "topK=0                    | topK must be between 1",
      "heatWindow=10 minutes     | heatWindow must be a duration",
      "heatWindow=10us           | heatWindow is out of range",
      "hotKeyShare=1.5           | hotKeyShare must be between 0 and 1",
      "hotKeyShare=NaN           | hotKeyShare must be between 0 and 1",
      "watchBudget=x             | watchBudget must be a number between 0 and 1",
      "watchNanos=-1ms           | watchNanos is out of range",
      "otel=sometimes            | otel must be one of auto|on|off",
      "otel.endpoint=localhost   | otel.endpoint must be an http(s) URL",
      "prometheus=localhost      | prometheus must be host:port or port",
      "prometheus=:x9464         | prometheus must be host:port or port",
  })
  void parse_badInput_oneLineMessageNamingTheProblem(String args, String message) {
    assertThatThrownBy(() -> AgentOptions.parse(args))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void split_reservedKeys_acceptedButNotOptions() throws Exception {
    assertThat(AgentOptions.split("command=status,reply=/tmp/r", "command", "reply"))
        .containsEntry("command", "status").containsEntry("reply", "/tmp/r");
    assertThatThrownBy(() -> AgentOptions.parse("command=status"))
        .hasMessageContaining("unknown option 'command'");
  }
}

package io.mapaudit.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * In-process instrumentation: with a sink that throws from every callback and every operation
 * sampled, the host's map calls return and throw exactly what they would without the agent, the
 * failures are counted, and nothing reaches stderr.
 */
final class ThrowingSinkTest {
  private static Instrumentation inst;

  @BeforeAll
  static void agent() throws Exception {
    inst = InProcessAgent.instrumentation();
  }

  @Test
  void throwingSink_hostCallsUnchanged_errorsCounted_stderrSilent() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    AgentInstaller.Installation installation = AgentInstaller.install(inst);
    assertThat(installation.errors).isEmpty();
    assertThat(installation.transformed).contains("java.util.HashMap", "java.util.LinkedHashMap",
        "java.util.concurrent.ConcurrentHashMap", "java.util.HashMap$HashIterator");
    long before = io.mapaudit.bootstrap.AdviceErrors.count();
    System.setErr(new PrintStream(err, true, "UTF-8"));
    try {
      ThrowingSink.installSamplingEverything();
      exerciseMaps();
    } finally {
      io.mapaudit.bootstrap.MapAccessDispatcher.uninstall();
      System.setErr(originalErr);
      AgentInstaller.reset(inst, installation.transformer);
    }
    assertThat(io.mapaudit.bootstrap.AdviceErrors.count() - before).isGreaterThan(20);
    assertThat(io.mapaudit.bootstrap.AdviceErrors.first()).isInstanceOf(ThrowingSink.Boom.class);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private static void exerciseMaps() {
    Map<String, Integer> m = new HashMap<>();
    assertThat(m.put("a", 1)).isNull();
    assertThat(m.put("a", 2)).isEqualTo(1);
    assertThat(m.get("a")).isEqualTo(2);
    assertThat(m.get("missing")).isNull();
    assertThat(m.getOrDefault("missing", 7)).isEqualTo(7);
    assertThat(m.containsKey("a")).isTrue();
    assertThat(m.putIfAbsent("b", 3)).isNull();
    assertThat(m.replace("b", 4)).isEqualTo(3);
    assertThat(m.replace("b", 4, 5)).isTrue();
    assertThat(m.remove("b", 99)).isFalse();
    assertThat(m.computeIfAbsent("c", k -> 10)).isEqualTo(10);
    assertThat(m.computeIfPresent("c", (k, v) -> v + 1)).isEqualTo(11);
    assertThat(m.compute("c", (k, v) -> null)).isNull();
    assertThat(m.merge("a", 5, Integer::sum)).isEqualTo(7);
    assertThat(m.size()).isEqualTo(2);
    int sum = 0;
    for (int v : m.values()) {
      sum += v;
    }
    assertThat(sum).isEqualTo(12);
    Iterator<String> it = m.keySet().iterator();
    it.next();
    it.remove();
    assertThat(m).hasSize(1);
    m.put("p", 1);
    m.put("q", 2);
    assertThatThrownBy(() -> {
      for (String k : m.keySet()) {
        m.put(k + "x", 0);
      }
    }).isInstanceOf(ConcurrentModificationException.class);
    m.putAll(Map.of("z", 26));
    m.clear();
    assertThat(m).isEmpty();

    Map<String, Integer> lru = new LinkedHashMap<>(16, 0.75f, true);
    lru.put("x", 1);
    lru.put("y", 2);
    assertThat(lru.get("x")).isEqualTo(1);
    assertThat(lru.keySet()).containsExactly("y", "x");

    Map<String, Integer> c = new ConcurrentHashMap<>();
    assertThat(c.put("k", 1)).isNull();
    assertThat(c.merge("k", 1, Integer::sum)).isEqualTo(2);
    assertThat(c.get("k")).isEqualTo(2);
    assertThatThrownBy(() -> c.get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> c.put("n", null)).isInstanceOf(NullPointerException.class);
    assertThat(c.values()).containsExactly(2);
  }
}

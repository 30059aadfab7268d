package io.mapaudit.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class JsonTest {
  @Test
  void write_nestedTree_parsesBackEqual() throws Exception {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("s", "quote \" backslash \\ newline \n tab \t ctrl \u0001 ünïcode");
    root.put("n", 42L);
    root.put("d", 0.25);
    root.put("nan", Double.NaN);
    root.put("b", true);
    root.put("null", null);
    root.put("list", Arrays.asList(1, "two", Arrays.asList(3), new LinkedHashMap<>()));
    JsonNode back = new ObjectMapper().readTree(Json.write(root));
    assertThat(back.get("s").asText()).isEqualTo(root.get("s"));
    assertThat(back.get("n").asLong()).isEqualTo(42L);
    assertThat(back.get("d").asDouble()).isEqualTo(0.25);
    assertThat(back.get("nan").isNull()).isTrue();
    assertThat(back.get("b").asBoolean()).isTrue();
    assertThat(back.get("null").isNull()).isTrue();
    assertThat(back.get("list").size()).isEqualTo(4);
    assertThat(back.get("list").get(2).get(0).asInt()).isEqualTo(3);
  }
}

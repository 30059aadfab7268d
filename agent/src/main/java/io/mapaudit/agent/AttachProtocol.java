package io.mapaudit.agent;

import io.mapaudit.agent.config.AgentOptions;
import io.mapaudit.agent.config.OptionException;
import java.util.Map;

/**
 * The agent-argument protocol between the CLI and an attached agent: options plus the reserved
 * keys {@code command}, {@code reply} and {@code out}. References no boot-loaded class, so that
 * premain can validate options before it touches the boot class path.
 */
final class AttachProtocol {
  static final String[] KEYS = {"command", "reply", "out"};

  private AttachProtocol() {}

  /** Splits the agent arguments; throws on malformed pairs and unknown keys. */
  static Map<String, String> split(String args) throws OptionException {
    return AgentOptions.split(args, KEYS);
  }

  /** Validates the options part of an {@code attach} (or premain) argument string. */
  static AgentOptions options(String args) throws OptionException {
    return AgentOptions.parse(withoutProtocolKeys(args), KEYS);
  }

  /** Options without the protocol keys, which the option parser must not see as options. */
  static String withoutProtocolKeys(String args) {
    if (args == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (String pair : args.split(",", -1)) {
      String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')).trim() : pair;
      boolean protocol = false;
      for (String k : KEYS) {
        protocol |= k.equals(key);
      }
      if (!protocol) {
        sb.append(sb.length() == 0 ? "" : ",").append(pair);
      }
    }
    return sb.toString();
  }
}

package io.mapaudit.agent;

import io.mapaudit.agent.record.SafeKeys;
import java.util.function.Function;

/** Chooses the key renderer for a {@code keys=} mode. */
final class SessionKeys {
  private SessionKeys() {}

  static Function<Object, String> renderer(String mode) {
    // Replaced by the heat package's KeyRenderer when it lands (keys=plain|hash|off).
    return key -> key == null ? null : SafeKeys.isSafe(key) ? String.valueOf(key)
        : key.getClass().getSimpleName() + "#?";
  }
}

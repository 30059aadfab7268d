package io.mapaudit.demo;

import java.util.Locale;

/** The incidents the demo reproduces, by their command-line names ({@code --only}, {@code --skip}). */
enum Incident {
  SETTLEMENT("/settle"),
  ROUTING("/route"),
  IDEMPOTENCY("/pay"),
  REFRESH("/refresh"),
  METRICS("/metrics"),
  HOTKEY("/product");

  private final String path;

  Incident(String path) {
    this.path = path;
  }

  /** The HTTP path that exercises this incident. */
  String path() {
    return path;
  }

  /** The command-line name, e.g. {@code settlement}. */
  String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the valid values when {@code name} is not one */
  static Incident fromCliName(String name) {
    for (Incident incident : values()) {
      if (incident.cliName().equals(name)) {
        return incident;
      }
    }
    throw new IllegalArgumentException(
        "unknown incident '" + name + "' (expected settlement, routing, idempotency, refresh, metrics or hotkey)");
  }
}

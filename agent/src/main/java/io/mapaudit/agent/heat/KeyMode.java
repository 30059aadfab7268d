package io.mapaudit.agent.heat;

import java.util.Locale;

/** How {@link KeyRenderer} shows map keys in reports: the {@code keys=plain|hash|off} option. */
public enum KeyMode {
  /** Safe types by value (truncated), other types as {@code Type#hashCodeHex}. */
  PLAIN,
  /** Every key as an irreversible keyed hash, {@code h:} and 16 hex digits. */
  HASH,
  /** No keys at all: rendering yields {@code null} and callers omit the key. */
  OFF;

  /**
   * Parses {@code plain}, {@code hash} or {@code off}, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the accepted values, for anything else (and null)
   */
  public static KeyMode parse(String value) {
    if (value != null) {
      switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "plain":
          return PLAIN;
        case "hash":
          return HASH;
        case "off":
          return OFF;
        default:
          break;
      }
    }
    throw new IllegalArgumentException(
        "keys must be one of plain|hash|off, was " + (value == null ? "null" : "'" + value + "'"));
  }
}

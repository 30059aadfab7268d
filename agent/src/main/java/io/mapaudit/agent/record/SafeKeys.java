package io.mapaudit.agent.record;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.UUID;

/**
 * Key types whose {@code hashCode}, {@code equals} and {@code toString} are the JDK's own: the
 * agent may call them (off the hot path, or on the sampled path) without running user code. Exact
 * classes only: a user subclass of {@code Number} could do anything.
 */
public final class SafeKeys {
  private SafeKeys() {}

  /** True when {@code key} is null or of a type whose methods are JDK code. */
  public static boolean isSafe(Object key) {
    if (key == null) {
      return true;
    }
    Class<?> c = key.getClass();
    return c == String.class || c == Integer.class || c == Long.class || c == Short.class
        || c == Byte.class || c == Double.class || c == Float.class || c == Boolean.class
        || c == Character.class || c == UUID.class || c == BigDecimal.class
        || c == BigInteger.class || key instanceof Enum;
  }
}

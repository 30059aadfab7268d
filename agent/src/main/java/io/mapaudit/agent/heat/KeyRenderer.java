package io.mapaudit.agent.heat;

import io.mapaudit.agent.record.UserCodeGate;
import java.lang.ref.WeakReference;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Renders map keys for reports according to a {@link KeyMode}, without ever calling a user
 * object's {@code toString} or {@code equals}.
 *
 * <ul>
 *   <li>{@link KeyMode#PLAIN}: safe types by value: {@code String}, boxed primitives,
 *       {@code Character}, enum constants (by {@link Enum#name()}), {@code UUID},
 *       {@code BigDecimal}, {@code BigInteger} (exact JDK classes only: those two are not final,
 *       and a subclass could override {@code toString}). Values longer than {@value #MAX_LENGTH}
 *       characters are cut to {@value #MAX_LENGTH} including a trailing "…". Any other type is
 *       {@code SimpleName#hex} of its {@code hashCode()}, or {@code SimpleName#?} if that throws.
 *       {@code null} is {@code "null"}. The text is not escaped: writers escape for their format.
 *   <li>{@link KeyMode#HASH}: every non-null key is {@code h:} and 16 hex digits, the first 64 bits
 *       of an HMAC-SHA256 under a random 32-byte secret drawn per instance. The same key renders
 *       the same within one instance (one agent run) and differently across runs; neither the key
 *       nor its type can be read back. {@code null} is {@code "null"}.
 *   <li>{@link KeyMode#OFF}: {@link #render} returns {@code null}; callers omit the key.
 * </ul>
 *
 * <p>The only user code ever called is {@code hashCode()} of a key that is not a safe type, inside
 * a {@code try/catch (Throwable)} and a {@link UserCodeGate}. Call this only off the hot path (on
 * the drainer): a {@code hashCode} that blocks or loops blocks the drainer, never an application
 * thread, and the gate lets a report be built without the drainer meanwhile. A type whose
 * {@code hashCode} took longer than {@value #SLOW_HASH_MILLIS} ms is remembered (weakly,
 * at most {@value #SLOW_TYPES}) and its keys then render as if {@code hashCode} had thrown, so a
 * blocking {@code hashCode} stalls the drainer once per type, not once per record.
 *
 * <p>Not thread-safe (it caches a {@link Mac} and buffers): confined to one thread.
 */
public final class KeyRenderer {
  /*
   * Design notes.
   *
   * HASH input is a canonical byte form, so equal keys hash equally and different types with the
   * same text do not: the key's class name, a separator byte, then for safe types the full
   * (untruncated) PLAIN text as UTF-16 code units, and for other types the 4 bytes of hashCode().
   * Truncating first would make every long string with a common 63-char prefix collide. Chars are
   * fed through a reused byte buffer and the MAC is written into a reused array, so rendering
   * allocates only the result string.
   *
   * 64 bits of HMAC output: enough to keep ~10^9 distinct keys apart with high probability and too
   * short to matter as a fingerprint across services, since the secret never leaves the process.
   */

  /** The longest PLAIN rendering, in chars, including the truncation mark. */
  public static final int MAX_LENGTH = 64;

  static final String ELLIPSIS = "\u2026";
  private static final String HMAC = "HmacSHA256";
  private static final byte SAFE_VALUE = 0;
  private static final byte HASH_CODE = 1;
  private static final byte HASH_CODE_FAILED = 2;
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  /** Above this many bits a BigInteger's text would be cut anyway; don't build it. */
  private static final int MAX_BIG_BITS = 1024;

  /** A key type whose hashCode took longer than this is not asked again. */
  static final long SLOW_HASH_MILLIS = 10;
  /** Key types remembered as slow. */
  static final int SLOW_TYPES = 16;

  private final KeyMode mode;
  private final UserCodeGate gate;
  @SuppressWarnings("unchecked")
  private final WeakReference<Class<?>>[] slowTypes = new WeakReference[SLOW_TYPES];
  private int nextSlow;
  private final Mac mac;
  private final byte[] buffer;
  private final byte[] digest;

  /**
   * @param mode how keys are rendered; {@link KeyMode#HASH} draws a fresh secret from
   *     {@link SecureRandom} (non-blocking on Linux: {@code /dev/urandom})
   */
  public KeyRenderer(KeyMode mode) {
    this(mode, new UserCodeGate());
  }

  /** A renderer whose calls into key {@code hashCode} go through {@code gate} (the drainer's). */
  public KeyRenderer(KeyMode mode, UserCodeGate gate) {
    this(mode, mode == KeyMode.HASH ? randomSecret() : null, gate);
  }

  /** For tests: HASH mode with a given secret, so two instances can be compared. */
  KeyRenderer(KeyMode mode, byte[] secret) {
    this(mode, secret, new UserCodeGate());
  }

  private KeyRenderer(KeyMode mode, byte[] secret, UserCodeGate gate) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.gate = Objects.requireNonNull(gate, "gate");
    if (mode == KeyMode.HASH) {
      try {
        mac = Mac.getInstance(HMAC);
        mac.init(new SecretKeySpec(secret, HMAC));
      } catch (GeneralSecurityException e) {
        // HmacSHA256 is required of every Java SE implementation.
        throw new IllegalStateException(HMAC + " is not available", e);
      }
      buffer = new byte[256];
      digest = new byte[mac.getMacLength()];
    } else {
      mac = null;
      buffer = null;
      digest = null;
    }
  }

  /** The mode this renderer applies. */
  public KeyMode mode() {
    return mode;
  }

  /**
   * The key as it may appear in a report, or {@code null} in {@link KeyMode#OFF} mode (omit the
   * key). Never throws because of the key.
   */
  public String render(Object key) {
    switch (mode) {
      case PLAIN:
        return renderPlain(key);
      case HASH:
        return key == null ? "null" : renderHash(key);
      default:
        return null;
    }
  }

  private String renderPlain(Object key) {
    if (key == null) {
      return "null";
    }
    String value = safeValue(key);
    if (value != null) {
      return truncate(value);
    }
    String type = simpleName(key.getClass());
    long hash = userHashCode(key);
    return hash == NO_HASH ? type + "#?" : type + '#' + Integer.toHexString((int) hash);
  }

  private static final long NO_HASH = Long.MIN_VALUE;

  /**
   * The key's own {@code hashCode()}, or {@link #NO_HASH} when it threw, its type is known to be
   * slow, or the calling thread took over from a stuck drainer.
   */
  private long userHashCode(Object key) {
    Class<?> type = key.getClass();
    for (WeakReference<Class<?>> r : slowTypes) {
      if (r != null && r.get() == type) {
        return NO_HASH;
      }
    }
    if (!gate.enter()) {
      return NO_HASH;
    }
    long start = System.nanoTime();
    boolean threw = true;
    int hash = 0;
    try {
      hash = key.hashCode();
      threw = false;
    } catch (Throwable t) {
      // The key's own failure: rendered as unknown, the type not asked again.
    } finally {
      gate.exit();
    }
    if (System.nanoTime() - start > SLOW_HASH_MILLIS * 1_000_000L) {
      slowTypes[nextSlow] = new WeakReference<Class<?>>(type);
      nextSlow = (nextSlow + 1) % SLOW_TYPES;
    }
    return threw ? NO_HASH : hash;
  }

  private String renderHash(Object key) {
    Class<?> type = key instanceof Enum ? ((Enum<?>) key).getDeclaringClass() : key.getClass();
    String value = safeValue(key);
    // The key's hashCode runs before the MAC is touched: a thread that takes over from a drainer
    // stuck in it finds the MAC reset, not half-fed (UserCodeGate).
    long userHash = value == null ? userHashCode(key) : NO_HASH;
    updateChars(type.getName());
    if (value != null) {
      mac.update(SAFE_VALUE);
      updateChars(value);
    } else {
      if (userHash == NO_HASH) {
        mac.update(HASH_CODE_FAILED);
        return finishHash();
      }
      int hash = (int) userHash;
      mac.update(HASH_CODE);
      buffer[0] = (byte) (hash >>> 24);
      buffer[1] = (byte) (hash >>> 16);
      buffer[2] = (byte) (hash >>> 8);
      buffer[3] = (byte) hash;
      mac.update(buffer, 0, 4);
    }
    return finishHash();
  }

  private String finishHash() {
    try {
      mac.doFinal(digest, 0); // also resets the Mac for the next key
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e); // cannot happen: digest holds getMacLength() bytes
    }
    char[] out = new char[2 + 16];
    out[0] = 'h';
    out[1] = ':';
    for (int i = 0; i < 8; i++) {
      out[2 + 2 * i] = HEX[(digest[i] >>> 4) & 0xf];
      out[3 + 2 * i] = HEX[digest[i] & 0xf];
    }
    return new String(out);
  }

  /** Feeds {@code text} to the MAC as UTF-16BE code units through the reused buffer. */
  private void updateChars(String text) {
    int n = 0;
    for (int i = 0, length = text.length(); i < length; i++) {
      if (n == buffer.length) {
        mac.update(buffer, 0, n);
        n = 0;
      }
      char c = text.charAt(i);
      buffer[n++] = (byte) (c >>> 8);
      buffer[n++] = (byte) c;
    }
    mac.update(buffer, 0, n);
  }

  /**
   * The full text of a safe-type key, produced by JDK code only, or {@code null} if the key is not
   * of a safe type.
   */
  static String safeValue(Object key) {
    if (key instanceof String) {
      return (String) key;
    }
    if (key instanceof Enum) {
      return ((Enum<?>) key).name(); // final in Enum: never a user override
    }
    Class<?> type = key.getClass();
    if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
        || type == Double.class || type == Float.class || type == Boolean.class
        || type == Character.class || type == UUID.class) {
      return key.toString();
    }
    if (type == BigInteger.class) {
      BigInteger big = (BigInteger) key;
      return big.bitLength() <= MAX_BIG_BITS ? big.toString() : null;
    }
    if (type == BigDecimal.class) {
      BigDecimal big = (BigDecimal) key;
      return big.unscaledValue().bitLength() <= MAX_BIG_BITS ? big.toString() : null;
    }
    return null;
  }

  static String truncate(String value) {
    if (value.length() <= MAX_LENGTH) {
      return value;
    }
    int end = MAX_LENGTH - 1;
    if (Character.isHighSurrogate(value.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return value.substring(0, end) + ELLIPSIS;
  }

  private static String simpleName(Class<?> type) {
    String name = type.getSimpleName();
    if (name.isEmpty()) { // anonymous class: fall back to the binary name after the package
      name = type.getName();
      name = name.substring(name.lastIndexOf('.') + 1);
    }
    return name;
  }

  private static byte[] randomSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  @Override
  public String toString() {
    return "KeyRenderer{" + mode + '}';
  }
}

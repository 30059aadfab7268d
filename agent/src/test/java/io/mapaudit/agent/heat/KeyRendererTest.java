package io.mapaudit.agent.heat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class KeyRendererTest {
  private final KeyRenderer plain = new KeyRenderer(KeyMode.PLAIN);
  private final KeyRenderer hash = new KeyRenderer(KeyMode.HASH);

  /** A user key whose toString must never run: it throws if it does. */
  private static final class AccountKey {
    private final int id;

    AccountKey(int id) {
      this.id = id;
    }

    @Override
    public int hashCode() {
      return 0xCAFE0000 + id;
    }

    @Override
    public boolean equals(Object other) {
      throw new AssertionError("equals must not be called");
    }

    @Override
    public String toString() {
      throw new AssertionError("toString must not be called");
    }
  }

  private static final class ThrowingHashKey {
    @Override
    public int hashCode() {
      throw new IllegalStateException("boom");
    }

    @Override
    public String toString() {
      throw new AssertionError("toString must not be called");
    }
  }

  private static final class BigDecimalWithToString extends BigDecimal {
    private static final long serialVersionUID = 1L;

    BigDecimalWithToString() {
      super(1);
    }

    @Override
    public String toString() {
      throw new AssertionError("a subclass's toString must not be called");
    }
  }

  @Test
  void render_plainSafeTypes_renderedByValue() {
    UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    assertThat(plain.render("order-42")).isEqualTo("order-42");
    assertThat(plain.render(42)).isEqualTo("42");
    assertThat(plain.render(-7L)).isEqualTo("-7");
    assertThat(plain.render((short) 3)).isEqualTo("3");
    assertThat(plain.render((byte) 4)).isEqualTo("4");
    assertThat(plain.render(2.5d)).isEqualTo("2.5");
    assertThat(plain.render(0.5f)).isEqualTo("0.5");
    assertThat(plain.render(true)).isEqualTo("true");
    assertThat(plain.render('x')).isEqualTo("x");
    assertThat(plain.render(TimeUnit.SECONDS)).isEqualTo("SECONDS");
    assertThat(plain.render(uuid)).isEqualTo("123e4567-e89b-12d3-a456-426614174000");
    assertThat(plain.render(new BigDecimal("12.50"))).isEqualTo("12.50");
    assertThat(plain.render(new BigInteger("123456789012345678901234567890")))
        .isEqualTo("123456789012345678901234567890");
    assertThat(plain.render(null)).isEqualTo("null");
    assertThat(plain.mode()).isEqualTo(KeyMode.PLAIN);
  }

  /** An enum whose constant has a body (an anonymous subclass) and a throwing toString. */
  private enum Tier {
    GOLD {
      @Override
      public String toString() {
        throw new AssertionError("toString must not be called");
      }
    }
  }

  @Test
  void render_plainEnumWithOverriddenToString_usesName() {
    assertThat(plain.render(Tier.GOLD)).isEqualTo("GOLD");
  }

  @Test
  void render_plainLongString_truncatedTo64WithEllipsis() {
    char[] chars = new char[100];
    Arrays.fill(chars, 'a');
    String rendered = plain.render(new String(chars));

    assertThat(rendered).hasSize(KeyRenderer.MAX_LENGTH).endsWith("\u2026");
    assertThat(rendered.substring(0, 63)).isEqualTo(new String(chars, 0, 63));
    assertThat(plain.render(new String(chars, 0, 64))).isEqualTo(new String(chars, 0, 64));
  }

  @Test
  void render_plainSurrogatePairAtCut_neverSplitsIt() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 62; i++) {
      s.append('a');
    }
    s.append("\uD83D\uDE00\uD83D\uDE00"); // two emoji: chars 62..65

    String rendered = plain.render(s.toString());

    assertThat(rendered).isEqualTo(s.substring(0, 62) + "\u2026");
  }

  @Test
  void render_plainUserType_typeAndHashHexWithoutToString() {
    assertThat(plain.render(new AccountKey(1))).isEqualTo("AccountKey#cafe0001");
  }

  @Test
  void render_plainHashCodeThrows_typeAndQuestionMark() {
    assertThat(plain.render(new ThrowingHashKey())).isEqualTo("ThrowingHashKey#?");
    assertThat(hash.render(new ThrowingHashKey())).matches("h:[0-9a-f]{16}");
  }

  @Test
  void render_plainSubclassOfSafeJdkType_treatedAsUserType() {
    assertThat(plain.render(new BigDecimalWithToString())).startsWith("BigDecimalWithToString#");
  }

  @Test
  void render_plainAnonymousClass_namedByBinaryName() {
    Object anonymous = new Object() {
      @Override
      public int hashCode() {
        return 255;
      }
    };
    assertThat(plain.render(anonymous)).isEqualTo("KeyRendererTest$1#ff");
  }

  @Test
  void render_hashSecretValue_neverContainsRawValue() {
    // Hex digits can form "123" by chance; the pattern alone rules out every planted non-hex char.
    List<Object> keys = Arrays.asList("secret-123", 123, "123", new AccountKey(123),
        UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), Tier.GOLD);
    for (Object key : keys) {
      String rendered = hash.render(key);
      assertThat(rendered).matches("h:[0-9a-f]{16}")
          .doesNotContain("secret").doesNotContain("Account").doesNotContain("GOLD");
    }
    assertThat(hash.mode()).isEqualTo(KeyMode.HASH);
    assertThat(hash.render(null)).isEqualTo("null");
  }

  @Test
  void render_hashSameKey_sameOutputWithinInstanceDifferentAcrossSecrets() {
    String first = hash.render("secret-123");

    assertThat(hash.render(new String("secret-123"))).isEqualTo(first);
    assertThat(hash.render(new AccountKey(5))).isEqualTo(hash.render(new AccountKey(5)));
    assertThat(new KeyRenderer(KeyMode.HASH).render("secret-123")).isNotEqualTo(first);
  }

  @Test
  void render_hashSameTextDifferentTypesOrLongPrefix_differ() {
    byte[] secret = new byte[32];
    KeyRenderer fixed = new KeyRenderer(KeyMode.HASH, secret);
    char[] chars = new char[200];
    Arrays.fill(chars, 'z');
    String longA = new String(chars) + "A";
    String longB = new String(chars) + "B";

    assertThat(fixed.render("1")).isNotEqualTo(fixed.render(1)).isNotEqualTo(fixed.render(1L));
    assertThat(fixed.render(longA)).isNotEqualTo(fixed.render(longB));
    assertThat(new KeyRenderer(KeyMode.HASH, secret).render(longA)).isEqualTo(fixed.render(longA));
  }

  @Test
  void render_off_returnsNull() {
    KeyRenderer off = new KeyRenderer(KeyMode.OFF);

    assertThat(off.render("secret-123")).isNull();
    assertThat(off.render(new AccountKey(1))).isNull();
    assertThat(off.render(null)).isNull();
    assertThat(off.mode()).isEqualTo(KeyMode.OFF);
  }

  @Test
  void parse_anyCase_returnsMode() {
    assertThat(KeyMode.parse("plain")).isEqualTo(KeyMode.PLAIN);
    assertThat(KeyMode.parse("HASH")).isEqualTo(KeyMode.HASH);
    assertThat(KeyMode.parse(" Off ")).isEqualTo(KeyMode.OFF);
  }

  @Test
  void parse_unknownOrNull_throwsWithAcceptedValues() {
    assertThatThrownBy(() -> KeyMode.parse("sha256"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keys must be one of plain|hash|off, was 'sha256'");
    assertThatThrownBy(() -> KeyMode.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plain|hash|off");
  }
}

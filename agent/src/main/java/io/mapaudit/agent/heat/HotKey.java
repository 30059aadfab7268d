package io.mapaudit.agent.heat;

/**
 * One entry of a {@link HotKeySketch} summary: a rendered key, its estimated count and the
 * overestimation bound of that count. Immutable.
 *
 * <p>The true number of occurrences of {@link #key()} in the summarized stream lies in
 * {@code [count() - error(), count()]}.
 */
public final class HotKey {
  private final String key;
  private final long count;
  private final long error;

  /**
   * @param key the rendered key, never {@code null}
   * @param count the estimated (upper bound) count
   * @param error the maximum overestimation, {@code 0 <= error <= count}
   */
  public HotKey(String key, long count, long error) {
    if (key == null) {
      throw new NullPointerException("key");
    }
    if (error < 0 || error > count) {
      throw new IllegalArgumentException("error must be in [0, count], was " + error + " for count " + count);
    }
    this.key = key;
    this.count = count;
    this.error = error;
  }

  /** The rendered key (never a user object). */
  public String key() {
    return key;
  }

  /** The estimated count: an upper bound of the true count. */
  public long count() {
    return count;
  }

  /** The maximum overestimation of {@link #count()}. */
  public long error() {
    return error;
  }

  /** {@code count() - error()}: a lower bound of the true count. */
  public long guaranteedCount() {
    return count - error;
  }

  @Override
  public String toString() {
    return key + "=" + count + (error == 0 ? "" : "(±" + error + ")");
  }
}

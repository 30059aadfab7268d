package io.mapaudit.agent.heat;

/**
 * A hot key as reported: counts scaled by the sampling interval to estimate real operations.
 * Immutable.
 *
 * <p>The real number of operations on the key is estimated to lie in
 * {@code [count() - error(), count()]}, up to sampling noise.
 */
public final class HotKeyView {
  private final String key;
  private final long count;
  private final long error;
  private final double share;

  HotKeyView(String key, long count, long error, double share) {
    this.key = key;
    this.count = count;
    this.error = error;
    this.share = share;
  }

  /** The rendered key. */
  public String key() {
    return key;
  }

  /** Estimated operations on the key: sampled count × sampling interval (an upper bound). */
  public long count() {
    return count;
  }

  /** The Space-Saving overestimation bound of {@link #count()}, scaled alike. */
  public long error() {
    return error;
  }

  /** The key's sampled count over its window's sampled total, in {@code [0, 1]}. */
  public double share() {
    return share;
  }

  @Override
  public String toString() {
    return "HotKeyView{key=" + key + ", count=" + count + ", error=" + error + ", share=" + share
        + '}';
  }
}

package io.mapaudit.agent.record;

/** Bits of a record's {@code flags}, set on the application thread at the sampled operation. */
public final class RecordFlags {
  /** The writer held the map's own monitor ({@code synchronized (map)}). */
  public static final int HOLDS_MONITOR = 1;
  /** A read returned null/the default and {@code containsKey} confirmed the key absent. */
  public static final int CONFIRMED_MISS = 2;
  /** The operation threw; the map's behaviour is unchanged, the record is informational. */
  public static final int THREW = 4;
  /** The record carries the first sighting of this map by this thread (site attached). */
  public static final int FIRST_SIGHTING = 8;
  /** The record carries the allocation site of a sampled construction. */
  public static final int ALLOCATION = 16;

  private RecordFlags() {}
}

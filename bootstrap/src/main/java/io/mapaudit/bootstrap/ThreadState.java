package io.mapaudit.bootstrap;

/**
 * Per-thread state of the hot path, owned by its thread. Fields are plain: only the owning thread
 * reads or writes them (the agent's drainer never touches a {@code ThreadState}).
 */
public final class ThreadState {
  /** Greater than zero while this thread runs agent code, or forever for agent threads. */
  int busy;
  /**
   * The map of the sampled operation this thread is inside, or null. Operations nested inside a
   * sampled one (CHM.containsKey calling get, a compute function touching a map) are not recorded,
   * so that sampling=1 counts each application call once.
   */
  Object sampledMap;
  /** The operation, key and argument of that sampled call (key and argument null outside it). */
  int sampledOp;
  Object sampledKey;
  Object sampledArg;
  /** Opaque per-thread data of the installed sink (its ring buffer); null until first sampled. */
  public Object sinkData;
  /** Opaque per-thread data of the agent's detectors (budgets, rate limits). */
  public Object detectorData;
  /** The epoch of the sink that owns {@link #sinkData}, so a re-attached agent starts afresh. */
  public int sinkEpoch;

  ThreadState() {}

  /** The thread's state is entering agent code; nested map operations return at once. */
  public void enterAgent() {
    busy++;
  }

  /** Leaves agent code entered by {@link #enterAgent()}. */
  public void exitAgent() {
    busy--;
  }
}

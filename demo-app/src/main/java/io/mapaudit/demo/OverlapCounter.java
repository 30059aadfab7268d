package io.mapaudit.demo;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts calls that began while another thread was still inside a call to the same incident: the
 * load's own evidence that two threads really were in one map at once. Thread-safe.
 */
final class OverlapCounter {

  private final AtomicInteger inside = new AtomicInteger();
  private final LongAdder overlaps = new LongAdder();

  /** Runs {@code call}, counting it when another thread is inside a call of this counter. */
  void run(Runnable call) {
    if (inside.getAndIncrement() > 0) {
      overlaps.increment();
    }
    try {
      call.run();
    } finally {
      inside.decrementAndGet();
    }
  }

  long overlaps() {
    return overlaps.sum();
  }
}

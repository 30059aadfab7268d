package io.mapaudit.agent.detect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Findings deduplicated by (kind, site, otherSite), bounded in number. Application threads
 * {@link #offer} events into a bounded queue (a full queue drops and counts); the drainer
 * {@link #drain merges} them.
 */
public final class FindingStore {
  /** Distinct findings kept; later new ones are counted in {@link #overflow()}. */
  public static final int MAX_FINDINGS = 1000;
  private static final int MAX_QUEUED = 4096;

  private final ConcurrentLinkedQueue<FindingEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Map<String, Finding> findings = new HashMap<>();
  private final List<Finding> ordered = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong droppedEvents = new java.util.concurrent.atomic.AtomicLong();
  private long overflow;

  /** Any thread. Returns false (and counts a drop) when the queue is full. */
  public boolean offer(FindingEvent e) {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      droppedEvents.incrementAndGet();
      return false;
    }
    queue.add(e);
    return true;
  }

  /**
   * Drainer only. Merges queued events; {@code mapInfo} gives {mapType, mapId} of a map and
   * {@code render} renders a key. Returns the findings that are new.
   */
  public List<Finding> drain(Function<Object, String[]> mapInfo, Function<Object, String> render) {
    List<Finding> fresh = new ArrayList<>();
    for (FindingEvent e; (e = queue.poll()) != null; ) {
      queued.decrementAndGet();
      Finding f = merge(e, mapInfo, render);
      if (f != null && f.count == e.weight) {
        fresh.add(f);
      }
    }
    return fresh;
  }

  /** Drainer only: merges one event directly (drainer-side detectors). */
  public Finding merge(FindingEvent e, Function<Object, String[]> mapInfo,
      Function<Object, String> render) {
    String id = e.kind.name() + '\u0000' + e.site + '\u0000' + e.otherSite;
    Finding f = findings.get(id);
    if (f == null) {
      if (findings.size() >= MAX_FINDINGS) {
        overflow++;
        return null;
      }
      f = new Finding(e.kind, e.site, e.otherSite, e.timeMillis);
      findings.put(id, f);
      ordered.add(f);
    }
    String[] info = e.map != null ? mapInfo.apply(e.map) : new String[] {e.mapType(), e.mapId()};
    f.add(e, info.length > 0 ? info[0] : null, info.length > 1 ? info[1] : null, e.key == null ? null : render.apply(e.key));
    return f;
  }

  /** Drainer only. */
  public Collection<Finding> all() {
    return ordered;
  }

  public long droppedEvents() {
    return droppedEvents.get();
  }

  public long overflow() {
    return overflow;
  }
}

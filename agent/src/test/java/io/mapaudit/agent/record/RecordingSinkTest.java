package io.mapaudit.agent.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.mapaudit.bootstrap.MapOp;
import io.mapaudit.bootstrap.ReentrancyGuard;
import io.mapaudit.bootstrap.ThreadState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class RecordingSinkTest {
  private static final int RING = 16;

  /** One drained record: the map, its flags and its site. */
  private static final class Seen {
    final Object map;
    final int flags;
    final Object site;

    Seen(Object map, int flags, Object site) {
      this.map = map;
      this.flags = flags;
      this.site = site;
    }
  }

  @Test
  void firstSightingDroppedByAFullRing_isSentAgainOnceThereIsRoom() {
    List<RecordRing> rings = new ArrayList<>();
    // An epoch of its own: the thread's state gets a fresh recorder for this sink.
    RecordingSink sink = new RecordingSink(9_001, RING, rings::add);
    ThreadState state = ReentrancyGuard.state();
    Map<String, Integer> filler = new HashMap<>();
    Map<String, Integer> late = new HashMap<>();
    for (int i = 0; i < RING; i++) {
      sink.onSampledExit(filler, MapOp.PUT, "k", 1, null, null, 5L, 0L, state);
    }
    sink.onSampledExit(late, MapOp.PUT, "k", 1, null, null, 5L, 0L, state); // ring full: dropped
    assertThat(rings).hasSize(1);
    RecordRing ring = rings.get(0);
    assertThat(ring.dropped()).isEqualTo(1);
    List<Seen> drained = new ArrayList<>();
    RecordRing.Consumer collect = (r, map, key, arg, site, op, flags, nanos, weight) ->
        drained.add(new Seen(map, flags, site));
    ring.drain(collect);
    assertThat(drained).noneMatch(s -> s.map == late);

    sink.onSampledExit(late, MapOp.PUT, "k", 1, null, null, 5L, 0L, state);
    ring.drain(collect);
    Seen last = drained.get(drained.size() - 1);
    assertThat(last.map).isSameAs(late);
    assertThat(last.flags & RecordFlags.FIRST_SIGHTING).isNotZero();
    // The walk names the first frame outside io.mapaudit.agent (this test's caller, JUnit).
    assertThat(last.site).isInstanceOf(StackTraceElement.class);
  }
}

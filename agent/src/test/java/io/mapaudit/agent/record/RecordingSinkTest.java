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

  /** A key whose hashCode and equals are application code; counts the calls. */
  private static final class UserKey {
    int calls;

    @Override
    public int hashCode() {
      calls++;
      return 7;
    }

    @Override
    public boolean equals(Object o) {
      calls++;
      return o == this;
    }
  }

  @Test
  void sampledRead_absentJdkKey_isATimedConfirmedMiss_presentNullOrUserKeyIsNot() {
    List<RecordRing> rings = new ArrayList<>();
    RecordingSink sink = new RecordingSink(9_002, RING, rings::add);
    ThreadState state = ReentrancyGuard.state();
    Map<Object, Object> map = new HashMap<>();
    map.put("here", null);
    UserKey user = new UserKey();
    sink.onSampledRead(map, MapOp.GET, "gone", null, state);
    sink.onSampledRead(map, MapOp.GET, "here", null, state); // a present null is no miss
    sink.onSampledRead(map, MapOp.GET_OR_DEFAULT, "gone", 0.0, state);
    sink.onSampledRead(map, MapOp.CONTAINS_KEY, "gone", null, state); // asks; cannot miss
    user.calls = 0;
    sink.onSampledRead(map, MapOp.GET, user, null, state);
    assertThat(user.calls).as("the sink runs no application hashCode/equals").isZero();

    List<Object[]> drained = new ArrayList<>();
    rings.get(0).drain((r, m, key, arg, site, op, flags, nanos, weight) ->
        drained.add(new Object[] {op, key, arg, (flags & RecordFlags.CONFIRMED_MISS) != 0, nanos}));
    assertThat(drained).hasSize(5);
    assertThat(drained.get(0)).startsWith(MapOp.GET, "gone", null, true);
    assertThat(drained.get(1)).startsWith(MapOp.GET, "here", null, false);
    assertThat(drained.get(2)).startsWith(MapOp.GET_OR_DEFAULT, "gone", 0.0, true);
    assertThat(drained.get(3)).startsWith(MapOp.CONTAINS_KEY, "gone", null, false);
    assertThat(drained.get(4)).startsWith(MapOp.GET, user, null, false);
    for (int i = 0; i < 4; i++) {
      assertThat((long) drained.get(i)[4]).as("JDK key: the lookup is timed").isPositive();
    }
    assertThat((long) drained.get(4)[4]).as("user key: untimed").isZero();
  }
}

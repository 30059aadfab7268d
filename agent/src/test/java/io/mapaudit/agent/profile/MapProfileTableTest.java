package io.mapaudit.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

final class MapProfileTableTest {
  private final List<MapProfile> retired = new ArrayList<>();
  private final List<Boolean> evictions = new ArrayList<>();

  private MapProfileTable table(int max) {
    return new MapProfileTable(max, (p, evicted) -> {
      retired.add(p);
      evictions.add(evicted);
    });
  }

  private static MapProfile profile(Object map) {
    return new MapProfile(map.getClass().getName(), "id", System.identityHashCode(map), 0L);
  }

  @Test
  void get_byIdentity_notByEquals() {
    MapProfileTable t = table(100);
    HashMap<String, String> a = new HashMap<>();
    HashMap<String, String> b = new HashMap<>();
    assertThat(a).isEqualTo(b);
    MapProfile pa = profile(a);
    t.put(a, pa);
    assertThat(t.get(a)).isSameAs(pa);
    assertThat(t.get(b)).isNull();
  }

  @Test
  void droppedMaps_areReleased_andTableShrinks() throws Exception {
    MapProfileTable t = table(100_000);
    List<Object> keep = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Object m = new HashMap<>();
      if (i < 10) {
        keep.add(m);
      }
      t.put(m, profile(m));
    }
    assertThat(t.size()).isEqualTo(1000);
    // Bounded wait for the collector: each round forces a GC; 200 rounds never needed in practice.
    for (int i = 0; i < 200 && t.size() > 10; i++) {
      System.gc();
      Thread.sleep(10);
      t.expunge();
    }
    assertThat(t.size()).isEqualTo(10);
    assertThat(t.collected()).isEqualTo(990);
    assertThat(retired).hasSize(990);
    assertThat(evictions).doesNotContain(true);
    for (Object m : keep) {
      assertThat(t.get(m)).isNotNull();
    }
  }

  @Test
  void millionMaps_boundedByMaxMaps_leastActiveEvicted() {
    MapProfileTable t = table(10_000);
    List<Object> live = new ArrayList<>();
    Object hot = new HashMap<>();
    MapProfile hotProfile = profile(hot);
    t.put(hot, hotProfile);
    for (int i = 0; i < 1_000_000; i++) {
      Object m = new Object();
      if (i % 100 == 0) {
        live.add(m);
      }
      MapProfile p = profile(m);
      p.count(0, i, 1);
      hotProfile.count(0, i + 1, 1);
      t.put(m, p);
      assertThat(t.size()).isLessThanOrEqualTo(10_000);
    }
    assertThat(t.size()).isLessThanOrEqualTo(10_000);
    assertThat(t.evicted() + t.collected()).isGreaterThanOrEqualTo(990_000);
    // The most active map survives sampled-LRU eviction.
    assertThat(t.get(hot)).isSameAs(hotProfile);
  }
}

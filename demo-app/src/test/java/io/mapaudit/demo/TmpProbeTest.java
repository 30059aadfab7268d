package io.mapaudit.demo;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
final class TmpProbeTest {
  @Test void probe() throws Exception {
    try (DemoService s = new DemoService(false, EnumSet.allOf(Incident.class)); LoadGenerator l = LoadGenerator.start(s, 2000, null)) {
      Thread.sleep(10_000);
      l.close();
      long[][][] p = LoadGenerator.PROBE; long ov = 0, dur = 0; int n = 0; long[] skews = new long[200]; int k = 0;
      for (int t = 0; t < 199; t++) { if (p[0][t][0] == 0 || p[1][t][0] == 0) continue; n++;
        long o = Math.min(p[0][t][1], p[1][t][1]) - Math.max(p[0][t][0], p[1][t][0]); if (o > 0) ov += o; dur += p[0][t][1]-p[0][t][0]; skews[k++] = Math.abs(p[0][t][0]-p[1][t][0]); }
      java.util.Arrays.sort(skews, 0, k);
      long[] l0 = java.util.Arrays.copyOf(LoadGenerator.LATE[0], 199); long[] l1 = java.util.Arrays.copyOf(LoadGenerator.LATE[1], 199); java.util.Arrays.sort(l0); java.util.Arrays.sort(l1); System.out.println("late0 p10/50/90 us " + l0[20]/1000 + " " + l0[100]/1000 + " " + l0[180]/1000 + " late1 " + l1[20]/1000 + " " + l1[100]/1000 + " " + l1[180]/1000);
      for (int t = 20; t < 26; t++) System.out.println("t=" + t + " late " + LoadGenerator.LATE[0][t]/1000 + "/" + LoadGenerator.LATE[1][t]/1000 + " start-epoch " + (p[0][t][0]-p[0][0][0])/1000 + "/" + (p[1][t][0]-p[0][0][0])/1000 + " dur " + (p[0][t][1]-p[0][t][0])/1000 + "/" + (p[1][t][1]-p[1][t][0])/1000);
      System.out.println("ticks=" + n + " avg burst us=" + dur/n/1000 + " avg overlap us=" + ov/n/1000 + " skew p50 us=" + skews[k/2]/1000 + " p90=" + skews[k*9/10]/1000 + " lost=" + s.router.lostEntries());
    }
  }
}

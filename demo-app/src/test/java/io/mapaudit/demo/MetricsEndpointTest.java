package io.mapaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class MetricsEndpointTest {

  private static final int WRITERS = 2;
  private static final int SESSIONS = 4;
  private static final int TOGGLES = 40_000; // even: every writer ends with all its sessions closed

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void activeSessions_scrapedWhileTwoWritersRunInBuggyMode_reportsImpossibleValues() throws Exception {
    MetricsEndpoint metrics = new MetricsEndpoint(false, WRITERS * SESSIONS);
    for (int round = 0; round < 50 && metrics.impossibleReadingCount() == 0; round++) {
      writeWhileScraping(metrics, round);
    }

    assertThat(metrics.impossibleReadingCount()).isPositive();
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void activeSessions_scrapedWhileTwoWritersRunInFixedMode_staysWithinBoundsAndEndsAtZero() throws Exception {
    MetricsEndpoint metrics = new MetricsEndpoint(true, WRITERS * SESSIONS);
    for (int round = 0; round < 3; round++) {
      writeWhileScraping(metrics, round);
    }

    assertThat(metrics.impossibleReadingCount()).isZero();
    assertThat(metrics.scrapeCount()).isPositive();
    assertThat(metrics.activeSessions()).isZero();
  }

  @Test
  void scrape_noSessions_rendersGaugeLine() {
    assertThat(new MetricsEndpoint(false, 8).scrape()).contains("demo_sessions_active 0\n");
  }

  /** Two writers toggle their own sessions while a scraper polls; then one quiescent scrape. */
  private static void writeWhileScraping(MetricsEndpoint metrics, int round) throws InterruptedException {
    CyclicBarrier start = new CyclicBarrier(WRITERS + 1);
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread[] writers = new Thread[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
      String prefix = "session-" + round + "-" + w + "-";
      writers[w] = new Thread(() -> {
        PaymentRouterTest.await(start);
        boolean[] open = new boolean[SESSIONS];
        for (int i = 0; i < TOGGLES; i++) {
          int s = i % SESSIONS;
          if (open[s]) {
            metrics.closeSession(prefix + s);
          } else {
            metrics.openSession(prefix + s);
          }
          open[s] = !open[s];
        }
      });
      writers[w].setDaemon(true);
      writers[w].start();
    }
    Thread scraper = new Thread(() -> {
      PaymentRouterTest.await(start);
      while (writing.get()) {
        metrics.activeSessions();
      }
    });
    scraper.setDaemon(true);
    scraper.start();
    for (Thread writer : writers) {
      writer.join();
    }
    writing.set(false);
    scraper.join();
    metrics.activeSessions(); // all sessions are closed now: anything but 0 is drift
  }
}

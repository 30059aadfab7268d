package io.mapaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class LoadGeneratorTest {

  /*
   * The timing-dependent symptoms (lost route entries, lost increments, impossible gauge readings,
   * double processing) need two threads really running in parallel; on a busy 2-vCPU machine they
   * can stay at 0 for a long while, so the incident tests prove them with tight loops instead. Here
   * the load must show the deterministic symptoms and its own evidence of concurrent calls.
   */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void start_buggyMode_showsSymptomsAndConcurrentCallsWithinBoundedTime() throws Exception {
    try (DemoService service = new DemoService(false, EnumSet.allOf(Incident.class))) {
      LoadGenerator load = LoadGenerator.start(service, 4000, null);
      try {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!shown(service) && System.nanoTime() < giveUp) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
      } finally {
        load.close();
      }

      assertThat(service.routingOverlaps.overlaps()).as("overlapping route calls").isPositive();
      assertThat(service.paymentOverlaps.overlaps()).as("overlapping pay calls").isPositive();
      assertThat(service.metricsOverlaps.overlaps()).as("overlapping session calls").isPositive();
      assertThat(service.settlement.skippedCount()).as("skipped settlements").isPositive();
      assertThat(service.refresher.cmesCaught()).as("CMEs").isPositive();
      assertThat(service.refresher.silentModifications()).as("silent modified iterations").isPositive();
      assertThat(service.catalog.hottestShare()).as("hot key share").isBetween(0.25, 0.42);
      assertThat(service.loadErrors.sum()).as("load errors").isZero();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void start_fixedMode_noIncidentShowsASymptom() throws Exception {
    try (DemoService service = new DemoService(true, EnumSet.allOf(Incident.class))) {
      LoadGenerator load = LoadGenerator.start(service, 4000, null);
      try {
        TimeUnit.SECONDS.sleep(2);
      } finally {
        load.close();
      }
      service.finish();

      assertThat(service.settlement.settledCount()).isPositive();
      assertThat(service.settlement.skippedCount()).isZero();
      assertThat(service.router.reconciledOrders()).isPositive();
      assertThat(service.router.lostEntries()).isZero();
      assertThat(service.payments.chargedCount()).isPositive();
      assertThat(service.payments.doubleProcessedCount()).isZero();
      assertThat(service.payments.lostIncrements()).isZero();
      assertThat(service.refresher.runs()).isPositive();
      assertThat(service.refresher.cmesCaught()).isZero();
      assertThat(service.refresher.silentModifications()).isZero();
      assertThat(service.metrics.scrapeCount()).isPositive();
      assertThat(service.metrics.impossibleReadingCount()).isZero();
      assertThat(service.loadErrors.sum()).isZero();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void run_oneSecondWithLoadOverHttp_printsCountersAndReturns0() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int code = DemoApp.run(new String[] {"--seconds", "1", "--rate", "500", "--fixed"},
        DemoOptionsTest.print(out), DemoOptionsTest.print(new ByteArrayOutputStream()));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).isZero();
    assertThat(printed).containsPattern("demo-app listening on http://127\\.0\\.0\\.1:\\d+ ")
        .contains("skipped (balance read as 0.0): 0")
        .contains("route entries lost")
        .containsPattern("HTTP requests of the load: [1-9]\\d*, failed: 0");
  }

  private static boolean shown(DemoService service) {
    return service.routingOverlaps.overlaps() > 0
        && service.paymentOverlaps.overlaps() > 0
        && service.metricsOverlaps.overlaps() > 0
        && service.settlement.skippedCount() > 0
        && service.refresher.silentModifications() > 0;
  }
}

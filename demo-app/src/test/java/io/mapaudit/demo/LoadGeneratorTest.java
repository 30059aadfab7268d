package io.mapaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class LoadGeneratorTest {

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void start_buggyMode_everyIncidentShowsItsSymptomWithinBoundedTime() throws Exception {
    try (DemoService service = new DemoService(false, EnumSet.allOf(Incident.class));
        LoadGenerator load = LoadGenerator.start(service, 4000, null)) {
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (!allSymptoms(service) && System.nanoTime() < giveUp) {
        TimeUnit.MILLISECONDS.sleep(200);
      }
      load.close();

      assertThat(service.settlement.skippedCount()).as("skipped settlements").isPositive();
      assertThat(service.router.lostEntries()).as("lost route entries").isPositive();
      assertThat(service.payments.doubleProcessedCount()).as("double-processed orders").isPositive();
      assertThat(service.payments.lostIncrements()).as("lost increments").isPositive();
      assertThat(service.refresher.cmesCaught()).as("CMEs").isPositive();
      assertThat(service.refresher.silentModifications()).as("silent modified iterations").isPositive();
      assertThat(service.metrics.impossibleReadingCount()).as("impossible gauge readings").isPositive();
      assertThat(service.catalog.hottestShare()).as("hot key share").isBetween(0.05, 0.2);
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void start_fixedMode_noIncidentShowsASymptom() throws Exception {
    try (DemoService service = new DemoService(true, EnumSet.allOf(Incident.class));
        LoadGenerator load = LoadGenerator.start(service, 4000, null)) {
      TimeUnit.SECONDS.sleep(2);
      load.close();
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

  private static boolean allSymptoms(DemoService service) {
    return service.settlement.skippedCount() > 0
        && service.router.lostEntries() > 0
        && service.payments.doubleProcessedCount() > 0
        && service.payments.lostIncrements() > 0
        && service.refresher.silentModifications() > 0
        && service.metrics.impossibleReadingCount() > 0;
  }
}

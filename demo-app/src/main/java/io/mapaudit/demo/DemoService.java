package io.mapaudit.demo;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The service behind the HTTP endpoints and the load generator: one instance of each incident, the
 * single config-refresher thread, and the service's own counters ({@link #statsJson()}).
 */
final class DemoService implements AutoCloseable {

  static final String INSTRUMENTATION_SCOPE = "mapaudit-demo";
  static final int METRICS_WRITERS = 2;
  static final int SESSIONS_PER_WRITER = 4;

  final boolean fixed;
  final Set<Incident> incidents;
  final Tracer tracer = GlobalOpenTelemetry.getTracer(INSTRUMENTATION_SCOPE);
  final SettlementService settlement;
  final PaymentRouter router;
  final IdempotencyStore payments;
  final ConfigRefresher refresher;
  final MetricsEndpoint metrics;
  final ProductCatalog catalog;
  /** Calls by the load that began while another load thread was inside the same incident. */
  final OverlapCounter routingOverlaps = new OverlapCounter();
  final OverlapCounter paymentOverlaps = new OverlapCounter();
  final OverlapCounter metricsOverlaps = new OverlapCounter();
  /** Runtime exceptions thrown by map operations in load threads (a corrupted HashMap can throw). */
  final LongAdder loadErrors = new LongAdder();
  /** The only thread that touches {@link #refresher}: the config is a plain HashMap by design. */
  final ScheduledExecutorService refresherThread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-config-refresher");
    t.setDaemon(true);
    return t;
  });

  DemoService(boolean fixed, Set<Incident> incidents) {
    this.fixed = fixed;
    this.incidents = EnumSet.copyOf(incidents);
    settlement = new SettlementService(fixed);
    router = new PaymentRouter(fixed);
    payments = new IdempotencyStore(fixed, IdempotencyStore.simulatedProvider());
    refresher = new ConfigRefresher(fixed);
    metrics = new MetricsEndpoint(fixed, METRICS_WRITERS * SESSIONS_PER_WRITER);
    catalog = new ProductCatalog();
  }

  boolean runs(Incident incident) {
    return incidents.contains(incident);
  }

  /** Runs one refresh on the refresher thread, in the caller's OpenTelemetry context, and waits. */
  ConfigRefresher.Result refreshConfig() throws InterruptedException {
    try {
      return refresherThread.submit(Context.current().wrap(refresher::refresh)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("config refresh failed", e.getCause());
    }
  }

  /** Final bookkeeping once the load has stopped: reconciles the routing window. */
  void finish() {
    router.reconcile();
  }

  String statsJson() {
    return "{\"mode\":\"" + (fixed ? "fixed" : "buggy") + "\""
        + ",\"settlements\":" + settlement.settledCount()
        + ",\"settlementsSkipped\":" + settlement.skippedCount()
        + ",\"ordersRouted\":" + router.routedCount()
        + ",\"ordersReconciled\":" + router.reconciledOrders()
        + ",\"routeEntriesLost\":" + router.lostEntries()
        + ",\"paymentsCharged\":" + payments.chargedCount()
        + ",\"ordersDoubleProcessed\":" + payments.doubleProcessedCount()
        + ",\"duplicatesRejected\":" + payments.duplicatesRejectedCount()
        + ",\"paymentCountIncrementsLost\":" + payments.lostIncrements()
        + ",\"configRefreshes\":" + refresher.runs()
        + ",\"cmesCaught\":" + refresher.cmesCaught()
        + ",\"silentModifiedIterations\":" + refresher.silentModifications()
        + ",\"staleConfigEntriesLeft\":" + refresher.staleEntriesLeft()
        + ",\"metricsScrapes\":" + metrics.scrapeCount()
        + ",\"impossibleGaugeReadings\":" + metrics.impossibleReadingCount()
        + ",\"lastGaugeReading\":" + metrics.lastReading()
        + ",\"productLookups\":" + catalog.lookupCount()
        + ",\"hottestProductShare\":" + String.format(Locale.ROOT, "%.4f", catalog.hottestShare())
        + ",\"routeCallsOverlapped\":" + routingOverlaps.overlaps()
        + ",\"payCallsOverlapped\":" + paymentOverlaps.overlaps()
        + ",\"sessionCallsOverlapped\":" + metricsOverlaps.overlaps()
        + ",\"loadErrors\":" + loadErrors.sum()
        + "}";
  }

  /** The human-readable counters of the enabled incidents, one per line. */
  List<String> summary() {
    List<String> lines = new ArrayList<>();
    lines.add("demo-app counters (" + (fixed ? "fixed" : "buggy") + " code):");
    if (runs(Incident.SETTLEMENT)) {
      lines.add("  settlements: " + settlement.settledCount()
          + ", skipped (balance read as 0.0): " + settlement.skippedCount());
    }
    if (runs(Incident.ROUTING)) {
      lines.add("  orders routed: " + router.routedCount()
          + ", route entries lost (expected " + router.reconciledOrders() + " in the cache): " + router.lostEntries());
    }
    if (runs(Incident.IDEMPOTENCY)) {
      lines.add("  payments charged: " + payments.chargedCount()
          + ", orders double-processed (check-then-act): " + payments.doubleProcessedCount()
          + ", payment-count increments lost: " + payments.lostIncrements());
    }
    if (runs(Incident.REFRESH)) {
      lines.add("  config refreshes: " + refresher.runs()
          + ", ConcurrentModificationExceptions caught: " + refresher.cmesCaught()
          + ", silent modified iterations: " + refresher.silentModifications()
          + ", stale entries left: " + refresher.staleEntriesLeft());
    }
    if (runs(Incident.METRICS)) {
      lines.add("  metrics scrapes: " + metrics.scrapeCount()
          + ", impossible gauge readings (size() during writes): " + metrics.impossibleReadingCount()
          + ", last reading: " + metrics.lastReading());
    }
    if (runs(Incident.HOTKEY)) {
      lines.add("  product lookups: " + catalog.lookupCount()
          + String.format(Locale.ROOT, ", share of %s: %.1f %%", ProductCatalog.HOTTEST, 100 * catalog.hottestShare()));
    }
    if (runs(Incident.ROUTING) || runs(Incident.IDEMPOTENCY) || runs(Incident.METRICS)) {
      lines.add("  load calls that overlapped another thread's call (routing, idempotency, metrics): "
          + routingOverlaps.overlaps() + ", " + paymentOverlaps.overlaps() + ", " + metricsOverlaps.overlaps());
    }
    lines.add("  map errors in load threads: " + loadErrors.sum());
    return lines;
  }

  @Override
  public void close() {
    refresherThread.shutdownNow();
    try {
      refresherThread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

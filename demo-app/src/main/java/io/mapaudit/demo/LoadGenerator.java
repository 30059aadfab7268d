package io.mapaudit.demo;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The built-in load: worker threads that call the incidents directly in paced bursts, plus a trickle
 * of real HTTP requests to every enabled endpoint. Deterministic inputs (fixed seeds); timing is not.
 */
final class LoadGenerator implements AutoCloseable {

  /*
   * Why bursts on a shared clock: a map call takes ~100 ns, so at a few thousand calls per second two
   * independently paced threads would almost never be inside one map at the same time, neither for
   * the real symptom nor for a sampling race detector. So all workers of an incident park until
   * shortly before a common tick, spin to it and run their burst together; incidents are spread over
   * the tick so that they do not compete for the two cores.
   *
   * Measured on the 2-vCPU VMs this project runs on: the scheduler often wakes both workers on the
   * same vCPU, and the second one then starts only when the first one's burst is over. A 200 us spin
   * left them on one vCPU in about half the ticks; a 1 ms spin gives the load balancer time to move
   * one to the idle vCPU (2 ticks in 40). Workers still start tens of microseconds apart, longer than
   * a bare burst of map calls, so each request also does ~2 us of simulated work (requestWork) that
   * stretches a burst to ~0.5 ms at the same operation rate. The two idempotency workers go through
   * the same orders in the same order, so both attempts of a payment run side by side. The whole
   * load, HTTP trickle included, costs about a quarter of one core.
   */
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final long SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Share of settlements that redeem a fund launched today. */
  static final int NEW_FUND_PERCENT = 15;
  static final int HTTP_CLIENT_THREADS = 2;
  /** Routing windows are short: a young HashMap resizes often, and resizes are where entries get lost. */
  static final int ROUTING_WINDOW_TICKS = 2;
  /** Idempotency ids are forgotten once the retention window has passed, checked every few ticks. */
  static final int EXPIRY_TICKS = 25;
  /** Simulated request handling around each map call; see the note above. */
  static final long REQUEST_WORK_NANOS = 2_000;
  private static final String[] ORDER_STATES = {"AUTHORIZED", "CAPTURED", "SETTLED", "REFUNDED"};

  @FunctionalInterface
  private interface Burst {
    void run(long tick, int ops);
  }

  private final DemoService service;
  private final int opsPerTick;
  private final long epoch = System.nanoTime() + TICK_NANOS;
  private final List<Thread> threads = new ArrayList<>();
  private final LongAdder httpRequests = new LongAdder();
  private final LongAdder httpFailures = new LongAdder();
  private ScheduledFuture<?> refreshes;
  private volatile boolean running = true;

  private LoadGenerator(DemoService service, int rate) {
    this.service = service;
    this.opsPerTick = (int) Math.max(2, Math.round(rate * (TICK_NANOS / 1e9)));
  }

  /**
   * Starts the load.
   *
   * @param rate map operations per second per incident
   * @param server where to send the HTTP trickle, or null for none
   */
  static LoadGenerator start(DemoService service, int rate, URI server) {
    LoadGenerator load = new LoadGenerator(service, rate);
    load.startBursts(Incident.SETTLEMENT, 1, w -> load.settlements(w));
    load.startBursts(Incident.ROUTING, 2, w -> load.routing(w));
    load.startBursts(Incident.IDEMPOTENCY, 2, w -> load.retriedPayments(w));
    load.startBursts(Incident.METRICS, DemoService.METRICS_WRITERS + 1, w -> load.sessions(w));
    load.startBursts(Incident.HOTKEY, 1, w -> load.productLookups(w));
    if (service.runs(Incident.REFRESH)) {
      long period = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate / 100);
      load.refreshes = service.refresherThread.scheduleAtFixedRate(
          () -> load.inSpan(Incident.REFRESH, 1, () -> service.refresher.refresh()),
          period, period, TimeUnit.NANOSECONDS);
    }
    if (server != null) {
      long perEndpoint = Math.min(50, Math.max(1, rate / 200));
      long periodNanos = TimeUnit.SECONDS.toNanos(1) * HTTP_CLIENT_THREADS / (perEndpoint * service.incidents.size());
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      for (int c = 0; c < HTTP_CLIENT_THREADS; c++) {
        int clientId = c;
        load.startThread("demo-load-http-" + c, () -> load.httpTrickle(client, server, clientId, periodNanos));
      }
    }
    return load;
  }

  long httpRequests() {
    return httpRequests.sum();
  }

  long httpFailures() {
    return httpFailures.sum();
  }

  // Bursts, one factory per incident; `w` is the worker index, each worker has its own state.

  private Burst settlements(int w) {
    SplittableRandom random = new SplittableRandom(1_000 + w);
    return (tick, ops) -> {
      for (int i = 0; i < ops; i++) {
        service.settlement.settle(fundFor(random), 100.0);
      }
    };
  }

  private Burst routing(int w) {
    return (tick, ops) -> {
      if (w == 0 && tick % ROUTING_WINDOW_TICKS == 0) {
        service.router.reconcile(); // count lost entries, start a new (small, fast-resizing) cache
      }
      int perWorker = Math.max(1, ops / 2);
      for (int i = 0; i < perWorker; i++) {
        String order = "order-" + w + "-" + tick + "-" + i;
        String state = ORDER_STATES[i & 3];
        service.routingOverlaps.run(() -> service.router.route(order, state));
        requestWork();
      }
    };
  }

  /**
   * Both workers submit the same orders in the same order at the same moment: every payment is
   * retried while its first attempt is still in flight (a client retrying on timeout).
   */
  private Burst retriedPayments(int w) {
    return (tick, ops) -> {
      if (w == 0 && tick % EXPIRY_TICKS == 0) {
        service.payments.expire(System.currentTimeMillis());
      }
      int orders = Math.max(1, ops / 2);
      for (int i = 0; i < orders; i++) {
        String order = "pay-" + tick + "-" + i;
        String merchant = "merchant-" + (i & 3);
        service.paymentOverlaps.run(() -> service.payments.pay(order, merchant)); // provider: ~2 us
      }
    };
  }

  /** Workers below METRICS_WRITERS open and close their own sessions; the last one scrapes. */
  private Burst sessions(int w) {
    if (w == DemoService.METRICS_WRITERS) {
      return (tick, ops) -> {
        for (int i = 0; i < ops / 2; i++) {
          service.metricsOverlaps.run(service.metrics::scrape);
          requestWork();
        }
      };
    }
    String[] ids = new String[DemoService.SESSIONS_PER_WRITER];
    boolean[] open = new boolean[ids.length];
    for (int s = 0; s < ids.length; s++) {
      ids[s] = "session-" + w + "-" + s;
    }
    return (tick, ops) -> {
      for (int i = 0; i < ops / 2; i++) {
        int s = i % ids.length;
        String id = ids[s];
        if (open[s]) {
          service.metricsOverlaps.run(() -> service.metrics.closeSession(id));
        } else {
          service.metricsOverlaps.run(() -> service.metrics.openSession(id));
        }
        open[s] = !open[s];
        requestWork();
      }
    };
  }

  private Burst productLookups(int w) {
    ProductCatalog.ZipfSampler zipf = new ProductCatalog.ZipfSampler(ProductCatalog.PRODUCTS, 7 + w);
    return (tick, ops) -> {
      for (int i = 0; i < ops; i++) {
        service.catalog.lookup(zipf.nextProductId());
      }
    };
  }

  private static String fundFor(SplittableRandom random) {
    return random.nextInt(100) < NEW_FUND_PERCENT
        ? SettlementService.newFund(1 + random.nextInt(SettlementService.NEW_FUNDS))
        : SettlementService.listedFund(1 + random.nextInt(SettlementService.LISTED_FUNDS));
  }

  // Threads and pacing.

  /** Spins {@link #REQUEST_WORK_NANOS}: the rest of a request, which holds no map. */
  static void requestWork() {
    long end = System.nanoTime() + REQUEST_WORK_NANOS;
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }

  private void startBursts(Incident incident, int workers, IntFunction<Burst> factory) {
    if (!service.runs(incident)) {
      return;
    }
    long offset = incident.ordinal() * TICK_NANOS / Incident.values().length;
    for (int w = 0; w < workers; w++) {
      Burst burst = factory.apply(w);
      boolean align = workers > 1;
      startThread("demo-load-" + incident.cliName() + "-" + w, () -> burstLoop(incident, offset, align, burst));
    }
  }

  private void startThread(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private void burstLoop(Incident incident, long offset, boolean align, Burst burst) {
    long tick = 0;
    while (running) {
      long deadline = epoch + offset + tick * TICK_NANOS;
      long late = System.nanoTime() - deadline;
      if (late > TICK_NANOS) {
        tick += late / TICK_NANOS; // fell behind: rejoin the schedule the other workers follow
        continue;
      }
      if (!awaitDeadline(deadline, align ? SPIN_NANOS : 0)) {
        return;
      }
      long t = tick;
      inSpan(incident, opsPerTick, () -> burst.run(t, opsPerTick));
      tick++;
    }
  }

  /** Parks until {@code spin} before {@code deadline}, then spins to it; false once stopped. */
  private boolean awaitDeadline(long deadline, long spin) {
    long remaining;
    while ((remaining = deadline - System.nanoTime()) > spin) {
      if (!running) {
        return false;
      }
      LockSupport.parkNanos(remaining - spin);
    }
    while (System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    return running;
  }

  /** Runs one burst in an INTERNAL span, so that findings in load threads have a parent too. */
  @SuppressWarnings("try") // the scope is only closed, never read: the OpenTelemetry idiom
  private void inSpan(Incident incident, int ops, Runnable work) {
    Span span = service.tracer.spanBuilder("load " + incident.path())
        .setSpanKind(SpanKind.INTERNAL)
        .setAttribute("demo.incident", incident.cliName())
        .setAttribute("demo.operations", ops)
        .startSpan();
    try (Scope scope = span.makeCurrent()) {
      work.run();
    } catch (RuntimeException e) {
      service.loadErrors.increment(); // e.g. a HashMap corrupted by the racing writers
      span.recordException(e);
    } finally {
      span.end();
    }
  }

  private void httpTrickle(HttpClient client, URI server, int clientId, long periodNanos) {
    SplittableRandom random = new SplittableRandom(100 + clientId);
    ProductCatalog.ZipfSampler zipf = new ProductCatalog.ZipfSampler(ProductCatalog.PRODUCTS, 200 + clientId);
    List<Incident> endpoints = new ArrayList<>(service.incidents);
    long next = System.nanoTime();
    for (long n = 0; running; n++) {
      Incident incident = endpoints.get((int) ((n + clientId) % endpoints.size()));
      String query = switch (incident) {
        case SETTLEMENT -> "?product=" + fundFor(random);
        case ROUTING -> "?order=http-" + clientId + "-" + n + "&state=" + ORDER_STATES[(int) (n & 3)];
        case IDEMPOTENCY -> "?order=http-" + clientId + "-" + n + "&merchant=merchant-" + (n & 3);
        case HOTKEY -> "?id=" + zipf.nextProductId();
        case REFRESH, METRICS -> "";
      };
      try {
        HttpRequest request = HttpRequest.newBuilder(server.resolve(incident.path() + query))
            .timeout(Duration.ofSeconds(2)).GET().build();
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        httpRequests.increment();
        if (response.statusCode() != 200) {
          httpFailures.increment();
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        httpFailures.increment();
      }
      next += periodNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else {
        next = System.nanoTime();
      }
    }
  }

  /** Stops every load thread and waits for them (bounded). */
  @Override
  public void close() {
    running = false;
    if (refreshes != null) {
      refreshes.cancel(false);
    }
    try {
      for (Thread thread : threads) {
        LockSupport.unpark(thread);
        thread.join(3_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

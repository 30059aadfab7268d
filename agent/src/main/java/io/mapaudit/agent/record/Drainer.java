package io.mapaudit.agent.record;

import io.mapaudit.bootstrap.ReentrancyGuard;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The single daemon thread that owns all aggregation (DESIGN §3). It drains every per-thread ring
 * into a {@link RecordRing.Consumer}, runs periodic work, and runs tasks submitted by other threads
 * (report snapshots, status), so that drainer-side state needs no lock.
 *
 * <p>The thread is an agent thread: its own map operations are never recorded.
 */
public final class Drainer implements RecordingSink.RingRegistry {
  /** Periodic work on the drainer thread (expunge, window rotation, exports). */
  public interface Periodic {
    void tick(long nowMillis);
  }

  /*
   * Between ticks the drainer sleeps: a ring that reaches half full wakes it (RecordRing.offer
   * calls wake), and so does a task. It used to poll every 1 ms, which cost an idle JVM ~23 ms of
   * CPU and ~900 context switches a second, with auditing off too (BENCHMARKS.md, seventh pass).
   */
  private static final long TICK_MILLIS = 250L;

  private final long tickMillis;
  private final RecordRing.Consumer consumer;
  private final Periodic periodic;
  private final ConcurrentLinkedQueue<RecordRing> newRings = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final List<RecordRing> rings = new ArrayList<>();
  private final Thread thread;
  private final UserCodeGate gate;
  private volatile boolean running = true;
  /** True while the drainer is about to park or parked in {@link #idle}. */
  private volatile boolean sleeping;
  private volatile long droppedByRetiredRings;

  public Drainer(RecordRing.Consumer consumer, Periodic periodic) {
    this(consumer, periodic, new UserCodeGate());
  }

  /**
   * A drainer whose consumer runs application code (key {@code hashCode}) only inside
   * {@code gate}, so that {@link #call} can take over when that code never returns.
   */
  public Drainer(RecordRing.Consumer consumer, Periodic periodic, UserCodeGate gate) {
    this(consumer, periodic, gate, TICK_MILLIS);
  }

  /** As above, with periodic work every {@code tickMillis} (tests: a tick that never comes). */
  Drainer(RecordRing.Consumer consumer, Periodic periodic, UserCodeGate gate, long tickMillis) {
    this.tickMillis = tickMillis;
    this.consumer = consumer;
    this.periodic = periodic;
    this.gate = gate;
    this.thread = new Thread(this::run, "mapaudit-drainer");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  @Override
  public void register(RecordRing ring) {
    newRings.add(ring);
  }

  private void run() {
    ReentrancyGuard.markAgentThread();
    // Ticks are scheduled on the monotonic clock: a wall clock set back must not hold the drainer
    // asleep (or its periodic work off) for the size of the jump. tick() gets the wall time.
    long tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
    long lastTick = System.nanoTime();
    while (running) {
      int n = drainOnce();
      runTasks();
      long now = System.nanoTime();
      if (now - lastTick >= tickNanos) {
        lastTick = now;
        try {
          periodic.tick(System.currentTimeMillis());
        } catch (Throwable e) {
          io.mapaudit.bootstrap.AdviceErrors.record(e);
        }
      }
      if (n == 0 && tasks.isEmpty()) {
        idle(tickNanos - (now - lastTick));
      }
    }
    drainOnce();
    runTasks();
  }

  /**
   * Parks for at most {@code nanos} unless a ring is already half full or a task waits. Pairs
   * with {@link #wake}: this thread writes {@code sleeping}, then reads the rings' tails; a
   * producer writes its tail, then reads {@code sleeping}. With both orders kept, a producer that
   * filled half its ring either finds the flag set (and unparks) or is seen here (no park).
   */
  private void idle(long nanos) {
    if (nanos <= 0L) {
      return;
    }
    sleeping = true;
    try {
      if (running && tasks.isEmpty() && !backlogged()) {
        LockSupport.parkNanos(this, nanos);
      }
    } finally {
      sleeping = false;
    }
  }

  private boolean backlogged() {
    for (RecordRing r : rings) {
      if (r.backlogged()) {
        return true;
      }
    }
    return !newRings.isEmpty(); // a new ring: its thread has started sampling
  }

  /**
   * Wakes the drainer if it sleeps. Called on an application thread whose ring an offer just
   * left half full (after the release store of its tail), so it only reads a flag unless the
   * drainer really sleeps.
   */
  @Override
  public void wake() {
    VarHandle.fullFence(); // the tail store above must not pass the read of sleeping (see idle)
    if (sleeping) {
      LockSupport.unpark(thread);
    }
  }

  /** Drains every ring once; retires rings of dead threads. Drainer thread only. */
  private int drainOnce() {
    for (RecordRing r; (r = newRings.poll()) != null; ) {
      rings.add(r);
    }
    int total = 0;
    for (int i = rings.size() - 1; i >= 0; i--) {
      RecordRing r = rings.get(i);
      try {
        total += r.drain(consumer);
      } catch (Throwable e) {
        io.mapaudit.bootstrap.AdviceErrors.record(e);
      }
      if (r.ownerDead() && r.pending() == 0) {
        droppedByRetiredRings += r.dropped();
        rings.set(i, rings.get(rings.size() - 1));
        rings.remove(rings.size() - 1);
      }
    }
    return total;
  }

  private void runTasks() {
    for (Runnable t; (t = tasks.poll()) != null; ) {
      t.run();
    }
  }

  /**
   * Runs {@code work} on the drainer thread after draining what is buffered, and waits at most
   * {@code timeoutMillis} for its result. If the drainer is then stuck inside application code (a
   * key's {@code hashCode} that blocks), runs {@code work} on the calling thread instead, with the
   * drainer held off (UserCodeGate). Returns null when neither produced a result in time, or when
   * the drainer is stopped.
   */
  public <T> T call(Supplier<T> work, long timeoutMillis) {
    if (Thread.currentThread() == thread) {
      drainOnce();
      return work.get();
    }
    if (!running) {
      // Stopped (after its last drain): nobody would run the task. A metric flush at detach
      // calls this after stop(), and must not wait out the timeout.
      return null;
    }
    CompletableFuture<T> f = new CompletableFuture<>();
    tasks.add(() -> {
      drainOnce();
      try {
        f.complete(work.get());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    });
    LockSupport.unpark(thread);
    try {
      return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (f.isDone()) {
        return null;
      }
    }
    try {
      return gate.runWhileStuck(work);
    } catch (RuntimeException e) {
      io.mapaudit.bootstrap.AdviceErrors.record(e);
      return null;
    }
  }

  /** Stops the thread after a last drain; waits at most {@code timeoutMillis}. */
  public void stop(long timeoutMillis) {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records dropped by full rings, over live and retired rings. Drainer thread only. */
  public long dropped() {
    long d = droppedByRetiredRings;
    for (RecordRing r : rings) {
      d += r.dropped();
    }
    return d;
  }
}

package io.mapaudit.it.apps;

import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Racy programs and their traps for the detector tests (DetectorsIT). {@code main(scenario,
 * millis)} runs one scenario; threads start together on a barrier and run for the given time,
 * so the overlap that a watchpoint must catch really happens. Each scenario's map operations sit
 * in a method of their own, so the tests can assert the reported sites.
 */
public final class DetectorScenarios {
  private static volatile long deadline;

  private DetectorScenarios() {}

  public static void main(String[] args) throws Exception {
    String scenario = args[0];
    long millis = Long.parseLong(args[1]);
    deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    switch (scenario) {
      case "racyWriters":
        threads(4, i -> racyWriter(SHARED, i));
        break;
      case "lockedByOtherObject":
        threads(4, DetectorScenarios::lockedWriter);
        break;
      case "reentrantLock":
        threads(4, DetectorScenarios::reentrantLockWriter);
        break;
      case "synchronizedMap":
        threads(4, DetectorScenarios::synchronizedMapWriter);
        break;
      case "handoff":
        handoff();
        break;
      case "sizePoll":
        sizePoll(new HashMap<>());
        break;
      case "concurrentSizePoll":
        sizePoll(new ConcurrentHashMap<>());
        break;
      case "lostUpdate":
        threads(4, DetectorScenarios::getThenPutCounter);
        break;
      case "checkThenAct":
        threads(4, DetectorScenarios::checkThenActGate);
        break;
      case "atomicUpdates":
        threads(4, DetectorScenarios::atomicCounters);
        break;
      case "iterationCme":
        iterationCme();
        break;
      case "iterationSilent":
        iterationSilent();
        break;
      case "iterationCorrect":
        iterationCorrect();
        break;
      case "missingKeys":
        missingKeys();
        break;
      case "lruGets":
        threads(4, DetectorScenarios::lruReader);
        break;
      default:
        throw new IllegalArgumentException(scenario);
    }
    System.out.println("DONE " + scenario);
  }

  private static boolean running() {
    return System.nanoTime() - deadline < 0;
  }

  interface Worker {
    void run(int index) throws Exception;
  }

  /** Runs {@code n} workers started together on a barrier; waits for all. */
  private static void threads(int n, Worker w) throws Exception {
    CyclicBarrier start = new CyclicBarrier(n);
    Thread[] ts = new Thread[n];
    Throwable[] failure = new Throwable[1];
    for (int i = 0; i < n; i++) {
      int index = i;
      ts[i] = new Thread(() -> {
        try {
          start.await();
          w.run(index);
        } catch (Throwable e) {
          failure[0] = e;
        }
      }, "worker-" + i);
      ts[i].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    if (failure[0] != null && !(failure[0] instanceof ConcurrentModificationException)
        && !(failure[0] instanceof ClassCastException)
        && !(failure[0] instanceof NullPointerException)) {
      // A racing HashMap may corrupt itself; only unexpected failures matter here.
      throw new AssertionError(failure[0]);
    }
  }

  private static final Map<Integer, Integer> SHARED = new HashMap<>();

  static void racyWriter(Map<Integer, Integer> map, int index) {
    for (int i = 0; running(); i++) {
      map.put(index * 1_000_000 + (i & 1023), i);
      map.remove(index * 1_000_000 + ((i + 512) & 1023));
    }
  }

  private static final Map<Integer, Integer> LOCKED = new HashMap<>();
  private static final Object LOCK = new Object();

  static void lockedWriter(int index) {
    for (int i = 0; running(); i++) {
      synchronized (LOCK) {
        LOCKED.put(index * 1_000_000 + (i & 1023), i);
        LOCKED.remove(index * 1_000_000 + ((i + 512) & 1023));
        LOCKED.size();
      }
    }
  }

  private static final Map<Integer, Integer> GUARDED = new HashMap<>();
  private static final ReentrantLock RLOCK = new ReentrantLock();

  static void reentrantLockWriter(int index) {
    for (int i = 0; running(); i++) {
      RLOCK.lock();
      try {
        GUARDED.put(index * 1_000_000 + (i & 1023), i);
        GUARDED.get(index * 1_000_000 + (i & 511));
        GUARDED.remove(index * 1_000_000 + ((i + 512) & 1023));
      } finally {
        RLOCK.unlock();
      }
    }
  }

  private static final Map<Integer, Integer> SYNCED = Collections.synchronizedMap(new HashMap<>());

  static void synchronizedMapWriter(int index) {
    for (int i = 0; running(); i++) {
      SYNCED.put(index * 1_000_000 + (i & 1023), i);
      SYNCED.remove(index * 1_000_000 + ((i + 512) & 1023));
      SYNCED.size();
    }
  }

  /** Built in one thread, handed off through an executor, Thread.start and join. */
  static void handoff() throws Exception {
    Map<Integer, Integer> map = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      map.put(i, i);
    }
    ExecutorService ex = Executors.newSingleThreadExecutor();
    ex.submit(() -> {
      while (running()) {
        for (int i = 0; i < 1000 && running(); i++) {
          map.put(i, map.get(i) + 1);
        }
      }
      return null;
    }).get();
    ex.shutdown();
    Thread next = new Thread(() -> {
      for (int i = 0; i < 100_000; i++) {
        map.merge(i & 1023, 1, Integer::sum);
      }
    }, "next-owner");
    next.start();
    next.join();
    for (int i = 0; i < 100_000; i++) {
      map.remove(i & 1023);
      map.put(i & 1023, i);
    }
  }

  /** A metrics thread polls size() while writers run. */
  static void sizePoll(Map<Integer, Integer> map) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    Thread poller = new Thread(() -> {
      await(go);
      long sum = 0;
      while (running()) {
        sum += map.size();
      }
      System.out.println("polled " + sum);
    }, "metrics-poller");
    poller.start();
    threads(2, i -> {
      go.countDown();
      sizeWriter(map, i);
    });
    poller.join();
  }

  static void sizeWriter(Map<Integer, Integer> map, int index) {
    for (int i = 0; running(); i++) {
      map.put(index * 1_000_000 + (i & 1023), i);
      map.remove(index * 1_000_000 + ((i + 512) & 1023));
    }
  }

  private static final Map<String, Integer> COUNTERS = new ConcurrentHashMap<>();

  static void getThenPutCounter(int index) {
    for (int i = 0; running(); i++) {
      String k = "counter-" + (i & 3);
      Integer c = COUNTERS.get(k);
      COUNTERS.put(k, c == null ? 1 : c + 1);
    }
  }

  private static final Map<String, Boolean> PROCESSED = new ConcurrentHashMap<>();

  static void checkThenActGate(int index) {
    for (int i = 0; running(); i++) {
      String order = "order-" + (i & 63);
      if (PROCESSED.get(order) == null) {
        PROCESSED.put(order, Boolean.TRUE);
      }
      if ((i & 63) == 63) {
        PROCESSED.remove("order-" + (i & 63));
        PROCESSED.clear();
      }
    }
  }

  private static final Map<String, Integer> ATOMIC = new ConcurrentHashMap<>();

  static void atomicCounters(int index) {
    for (int i = 0; running(); i++) {
      String k = "k-" + (i & 3);
      ATOMIC.merge(k, 1, Integer::sum);
      ATOMIC.compute(k, (key, v) -> v == null ? 1 : v + 1);
      ATOMIC.putIfAbsent("p-" + (i & 7), i);
      Integer old = ATOMIC.get(k);
      if (old != null) {
        ATOMIC.replace(k, old, old + 1);
      }
      ATOMIC.computeIfAbsent("c-" + (i & 7), key -> 0);
    }
  }

  /** for-each + map.remove: the next step throws CME. */
  static void iterationCme() {
    int cmes = 0;
    for (int round = 0; round < 200; round++) {
      Map<String, Integer> config = new HashMap<>();
      for (int i = 0; i < 8; i++) {
        config.put("key-" + i, i);
      }
      try {
        for (String k : config.keySet()) {
          config.remove(k);
        }
      } catch (ConcurrentModificationException e) {
        cmes++;
      }
    }
    System.out.println("cmes " + cmes);
  }

  /** for-each + map.remove of the key iterated last: the loop ends silently, the bug remains. */
  static void iterationSilent() {
    int silent = 0;
    for (int round = 0; round < 200; round++) {
      Map<String, Integer> config = new HashMap<>();
      for (int i = 0; i < 8; i++) {
        config.put("key-" + i, i);
      }
      int seen = 0;
      for (String k : config.keySet()) {
        if (++seen == 8) {
          config.remove(k); // the last element: hasNext() is false next, no exception
        }
      }
      silent += seen == 8 ? 1 : 0;
    }
    System.out.println("silent " + silent);
  }

  /** The correct forms: removeIf, Iterator.remove, and removal while iterating a CHM. */
  static void iterationCorrect() {
    for (int round = 0; round < 200; round++) {
      Map<String, Integer> a = new HashMap<>();
      Map<String, Integer> b = new LinkedHashMap<>();
      Map<String, Integer> c = new ConcurrentHashMap<>();
      for (int i = 0; i < 8; i++) {
        a.put("key-" + i, i);
        b.put("key-" + i, i);
        c.put("key-" + i, i);
      }
      a.keySet().removeIf(k -> k.endsWith("3"));
      a.values().removeIf(v -> v == 5);
      for (Iterator<String> it = b.keySet().iterator(); it.hasNext(); ) {
        if (it.next().endsWith("2")) {
          it.remove();
        }
      }
      for (String k : c.keySet()) {
        c.remove(k);
      }
    }
  }

  /** getOrDefault(missing, 0.0), get(missing), and a present key whose value equals the default. */
  static void missingKeys() {
    Map<String, Double> balances = new HashMap<>();
    balances.put("fund-A", 100.0);
    balances.put("fund-Z", 0.0);
    double total = 0;
    for (int i = 0; i < 2000; i++) {
      total += balances.getOrDefault("fund-new", 0.0);
      total += balances.getOrDefault("fund-Z", 0.0);
      Double missing = balances.get("fund-gone");
      total += missing == null ? 0 : missing;
    }
    System.out.println("total " + total);
  }

  private static final Map<String, Integer> LRU = new LinkedHashMap<>(64, 0.75f, true);

  static {
    for (int i = 0; i < 64; i++) {
      LRU.put("p" + i, i);
    }
  }

  /** Only get, but on an access-ordered LinkedHashMap get moves entries: a write. */
  static void lruReader(int index) {
    for (int i = 0; running(); i++) {
      LRU.get("p" + ((i * 7 + index) & 63));
    }
  }

  private static void await(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.mapaudit.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of the demo service: {@code java -jar mapaudit-demo-app.jar [options]} (see
 * {@link DemoOptions#USAGE}). Serves HTTP on 127.0.0.1, drives its own load, and after
 * {@code --seconds} prints its counters and exits 0, so that an agent's shutdown hook writes its
 * report. Exit code 2 for bad arguments, 1 when the server cannot start.
 */
public final class DemoApp {

  private DemoApp() {}

  public static void main(String[] args) throws InterruptedException {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the app to completion; returns the process exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("demo-app: " + e.getMessage() + " (see --help)");
      return 2;
    }
    if (options.help()) {
      out.println(DemoOptions.USAGE);
      return 0;
    }
    DemoService service = new DemoService(options.fixed(), options.incidents());
    DemoServer server;
    try {
      server = DemoServer.start(service, options.port());
    } catch (IOException e) {
      err.println("demo-app: cannot listen on 127.0.0.1:" + options.port() + ": " + e.getMessage());
      service.close();
      return 1;
    }
    out.println("demo-app listening on http://127.0.0.1:" + server.port()
        + " (" + (options.fixed() ? "fixed" : "buggy") + " code, incidents: " + names(options) + ")");
    out.flush();
    LoadGenerator load = options.load() ? LoadGenerator.start(service, options.rate(), server.baseUri()) : null;
    if (options.seconds() == 0) {
      // Until killed: print the counters from the shutdown hook, before the JVM goes.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        service.summary().forEach(out::println);
        out.flush();
      }, "demo-summary"));
      new CountDownLatch(1).await();
    }
    TimeUnit.SECONDS.sleep(options.seconds());
    if (load != null) {
      load.close();
    }
    service.finish();
    service.summary().forEach(out::println);
    if (load != null) {
      out.println("  HTTP requests of the load: " + load.httpRequests() + ", failed: " + load.httpFailures());
    }
    out.flush();
    server.close();
    service.close();
    return 0;
  }

  private static String names(DemoOptions options) {
    StringBuilder names = new StringBuilder();
    for (Incident incident : options.incidents()) {
      names.append(names.length() == 0 ? "" : ",").append(incident.cliName());
    }
    return names.toString();
  }
}

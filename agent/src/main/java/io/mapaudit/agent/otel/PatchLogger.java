package io.mapaudit.agent.otel;

import io.mapaudit.agent.AgentConsole;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * Stands in for {@code java.util.logging.Logger} in the shaded OpenTelemetry and Prometheus
 * classes: the shade plugin rewrites their references to this class (agent/pom.xml). It never
 * touches the JUL {@code LogManager}, so the agent cannot initialise JUL before an application
 * server installs its own manager (the official OpenTelemetry agent's {@code PatchLogger} does the
 * same). Messages of level INFO and above go to stderr only with {@code debug=true}; export
 * failures reach the user through {@link OtelExport}'s one warning instead.
 *
 * <p>Only the methods the relocated code calls are needed; {@code PatchLoggerTest} checks the
 * shaded jar for calls to missing ones. Thread-safe.
 */
public final class PatchLogger {
  private static final PatchLogger INSTANCE = new PatchLogger("mapaudit");
  private final String name;

  private PatchLogger(String name) {
    this.name = name;
  }

  public static PatchLogger getLogger(String name) {
    return name == null ? INSTANCE : new PatchLogger(name);
  }

  public static PatchLogger getLogger(String name, String resourceBundleName) {
    return getLogger(name);
  }

  public static PatchLogger getGlobal() {
    return INSTANCE;
  }

  public static PatchLogger getAnonymousLogger() {
    return INSTANCE;
  }

  public String getName() {
    return name;
  }

  public boolean isLoggable(Level level) {
    return AgentConsole.debugEnabled() && level.intValue() >= Level.INFO.intValue();
  }

  public Level getLevel() {
    return AgentConsole.debugEnabled() ? Level.INFO : Level.OFF;
  }

  public void setLevel(Level level) {}

  public void log(Level level, String msg) {
    log(level, msg, (Throwable) null);
  }

  public void log(Level level, String msg, Throwable thrown) {
    if (isLoggable(level)) {
      String shortName = name.substring(name.lastIndexOf('.') + 1);
      AgentConsole.debug("otel " + level + " " + shortName + ": " + msg
          + (thrown == null ? "" : " (" + thrown + ")"));
    }
  }

  public void log(Level level, String msg, Object param) {
    log(level, msg, (Throwable) null);
  }

  public void log(Level level, String msg, Object[] params) {
    log(level, msg, (Throwable) null);
  }

  public void log(Level level, Supplier<String> msg) {
    if (isLoggable(level)) {
      log(level, msg.get(), (Throwable) null);
    }
  }

  public void log(Level level, Throwable thrown, Supplier<String> msg) {
    if (isLoggable(level)) {
      log(level, msg.get(), thrown);
    }
  }

  public void logp(Level level, String sourceClass, String sourceMethod, String msg) {
    log(level, msg, (Throwable) null);
  }

  public void logp(Level level, String sourceClass, String sourceMethod, String msg,
      Throwable thrown) {
    log(level, msg, thrown);
  }

  public void severe(String msg) {
    log(Level.SEVERE, msg, (Throwable) null);
  }

  public void warning(String msg) {
    log(Level.WARNING, msg, (Throwable) null);
  }

  public void info(String msg) {
    log(Level.INFO, msg, (Throwable) null);
  }

  public void config(String msg) {}

  public void fine(String msg) {}

  public void finer(String msg) {}

  public void finest(String msg) {}

  public void severe(Supplier<String> msg) {
    log(Level.SEVERE, msg);
  }

  public void warning(Supplier<String> msg) {
    log(Level.WARNING, msg);
  }

  public void info(Supplier<String> msg) {
    log(Level.INFO, msg);
  }

  public void config(Supplier<String> msg) {}

  public void fine(Supplier<String> msg) {}

  public void finer(Supplier<String> msg) {}

  public void finest(Supplier<String> msg) {}
}

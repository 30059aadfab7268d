package io.mapaudit.agent.detect;

import java.util.Locale;

/** The finding kinds of DESIGN §4, with their default severity. */
public enum FindingKind {
  CONCURRENT_WRITE(Severity.ERROR),
  READ_DURING_WRITE(Severity.ERROR),
  LOST_UPDATE(Severity.ERROR),
  CHECK_THEN_ACT(Severity.WARNING),
  MODIFIED_DURING_ITERATION(Severity.ERROR),
  CROSS_THREAD_WRITES(Severity.WARNING),
  MISSING_KEY(Severity.INFO),
  DEFAULT_ON_MISSING_KEY(Severity.WARNING),
  HOT_KEY(Severity.INFO);

  private final Severity severity;

  FindingKind(Severity severity) {
    this.severity = severity;
  }

  public Severity defaultSeverity() {
    return severity;
  }

  /** The span name suffix and metric attribute: {@code concurrent_write}. */
  public String lowerName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Finding severities, ordered from least to most severe. */
  public enum Severity {
    INFO, WARNING, ERROR;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}

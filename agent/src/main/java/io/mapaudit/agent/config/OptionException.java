package io.mapaudit.agent.config;

/** A bad agent option. The message is one line, fit to print after {@code "mapaudit: "}. */
public final class OptionException extends Exception {
  private static final long serialVersionUID = 1L;

  public OptionException(String message) {
    super(message);
  }
}

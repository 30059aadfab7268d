package io.mapaudit.bench;

/** The trivial main of the startup measurement: prints one line and exits. */
public final class TrivialMain {
  private TrivialMain() {}

  public static void main(String[] args) {
    System.out.println("hello");
  }
}

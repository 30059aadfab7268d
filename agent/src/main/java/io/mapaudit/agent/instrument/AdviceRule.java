package io.mapaudit.agent.instrument;

/**
 * Which advice one method of an instrumented class gets: the method (by name and number of
 * arguments, instance methods with code only), the {@link MapAdvice.Shape shape} of the inlined
 * calls, the {@link io.mapaudit.bootstrap.MapOp} code they pass, and where the map comes from.
 */
final class AdviceRule {
  /** Name of constructors in the class file. */
  static final String CONSTRUCTOR = "<init>";
  /** Any number of arguments (constructors). */
  static final int ANY_ARGS = -1;

  final String method;
  final int args;
  final MapAdvice.Shape shape;
  final int op;
  /** Field of {@code this} holding the map (iterators), or null when the map is {@code this}. */
  final MapAdvice.MapField mapField;

  AdviceRule(String method, int args, MapAdvice.Shape shape, int op, MapAdvice.MapField mapField) {
    this.method = method;
    this.args = args;
    this.shape = shape;
    this.op = op;
    this.mapField = mapField;
  }

  boolean matches(String name, int argCount) {
    return method.equals(name) && (args == ANY_ARGS || args == argCount);
  }
}

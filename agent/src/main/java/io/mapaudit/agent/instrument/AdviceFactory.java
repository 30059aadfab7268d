package io.mapaudit.agent.instrument;

import io.mapaudit.bootstrap.AdviceErrors;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.matcher.ElementMatcher;

/** Builds advice visitors with the op code bound and suppressed throwables counted. */
final class AdviceFactory {
  /*
   * Suppressed throwables are passed to AdviceErrors.record(Throwable), a boot-loaded static
   * method that consumes the throwable on the operand stack: the map method then proceeds as if
   * the advice had not run (OTel's ExceptionHandlers do the same).
   */
  private static final Advice.ExceptionHandler COUNT_ERRORS = countErrors();

  private AdviceFactory() {}

  private static Advice.ExceptionHandler countErrors() {
    try {
      return new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(
          new MethodDescription.ForLoadedMethod(
              AdviceErrors.class.getMethod("record", Throwable.class))));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Advice that takes no {@link OpCode} (its dispatcher call names the operation itself). */
  static AsmVisitorWrapper advice(Class<?> adviceClass,
      ElementMatcher<? super MethodDescription> methods) {
    return Advice.withCustomMapping()
        .to(adviceClass)
        .withExceptionHandler(COUNT_ERRORS)
        .on(methods);
  }

  /** Advice whose {@link OpCode} parameter is bound to {@code op}. */
  static AsmVisitorWrapper advice(Class<?> adviceClass, int op,
      ElementMatcher<? super MethodDescription> methods) {
    return Advice.withCustomMapping()
        .bind(OpCode.class, op)
        .to(adviceClass)
        .withExceptionHandler(COUNT_ERRORS)
        .on(methods);
  }
}

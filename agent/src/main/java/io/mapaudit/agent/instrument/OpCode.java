package io.mapaudit.agent.instrument;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds an advice parameter to the {@link io.mapaudit.bootstrap.MapOp} code of the instrumented
 * method, as a constant: one advice class serves every method of a shape, and the inlined code
 * pushes a literal.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@interface OpCode {}

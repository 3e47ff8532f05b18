package io.whatap;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records each call of the annotated method: inside a transaction as a TX_METHOD step with its
 * elapsed time, outside any transaction as a transaction of its own named after the method
 * (unless {@code method_profiling_outside_transaction=false}). The return value and any exception
 * pass through unchanged; an exception is recorded as the transaction's error.
 *
 * <p>It takes effect where the method is reached through a {@link Whatap#profile(Object, Class)}
 * proxy (on the interface's method or the implementation's) or when the application runs with
 * the {@code -javaagent:whatap-javaagent.jar} weaver. Elsewhere it is an inert marker.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface MethodProfiling {
  /** The step's name; empty means {@code fully.qualified.Class.method}. */
  String value() default "";
}

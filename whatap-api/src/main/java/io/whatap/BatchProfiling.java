package io.whatap;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes each call of the annotated method one batch-job run: a transaction named after the job,
 * sent to the batch agent (see {@link Whatap#batch(String, java.util.concurrent.Callable)}). The
 * method runs exactly once per call; its return value and exception pass through unchanged.
 *
 * <p>Like {@link MethodProfiling}, it takes effect through {@link Whatap#profile(Object, Class)}
 * proxies or the {@code -javaagent:whatap-javaagent.jar} weaver.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface BatchProfiling {
  /** The job's name; empty means {@code fully.qualified.Class.method}. */
  String value() default "";
}

package io.whatap.spi;

/**
 * What a module contributes to {@code Whatap.registerApp(handler)}: it knows one handler type
 * and returns a traced handler of the same type. Found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.whatap.spi.AppWrapper}), so an application gets exactly the
 * wrappers of the modules on its class path.
 */
public interface AppWrapper {
  /** The handler type this wrapper knows, as named in error messages (e.g. "io.undertow.server.HttpHandler"). */
  String supportedType();

  /** True when {@code handler} is of the type this wrapper knows. Must not fail for unknown types. */
  boolean supports(Object handler);

  /**
   * A traced handler of the same type as {@code handler}. When {@code handler} is already one of
   * this wrapper's traced handlers it is returned as it is, so wrapping twice never traces twice.
   */
  Object wrap(Object handler);
}

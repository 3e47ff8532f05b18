package io.whatap.httpclient.apache;

import io.whatap.javaagent.bootstrap.Hook;
import java.lang.reflect.Field;
import java.util.List;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * The javaagent's way into whatap-httpclient for Apache HttpClient 5: at {@code build()} of a classic
 * or async builder, {@link WhatapHttpClient5#trace} adds the handler library mode adds, unless the
 * builder already has an exec interceptor named {@value WhatapHttpClient5#NAME} (the application added
 * whatap-httpclient's handler itself, from any copy of it; or {@code build()} runs a second time).
 * Defined by an adapter class loader per copy of httpclient5, like whatap-httpclient's classes.
 *
 * <p>The builders keep their exec interceptors in a private list; where it is is checked when the hook
 * is made, so a version laid out otherwise is left untraced and named once in the agent log (by
 * {@code LibraryHooks}) instead of failing on every build.
 */
public final class ApacheBuilderHook implements Hook {
  private static final String INTERCEPTORS = "execInterceptors";
  private final Field classicInterceptors;
  private final Field classicName;
  private final Field asyncInterceptors;
  private final Field asyncName;

  public ApacheBuilderHook() throws ReflectiveOperationException {
    classicInterceptors = accessible(HttpClientBuilder.class.getDeclaredField(INTERCEPTORS));
    classicName = accessible(entryType(HttpClientBuilder.class).getDeclaredField("name"));
    asyncInterceptors = accessible(HttpAsyncClientBuilder.class.getDeclaredField(INTERCEPTORS));
    asyncName = accessible(entryType(HttpAsyncClientBuilder.class).getDeclaredField("name"));
  }

  private static Class<?> entryType(Class<?> builder) throws ClassNotFoundException {
    return Class.forName(builder.getName() + "$ExecInterceptorEntry", false, builder.getClassLoader());
  }

  private static Field accessible(Field f) {
    f.setAccessible(true);
    return f;
  }

  @Override
  public Object enter(Object builder, Object unused0, Object unused1) {
    try {
      if (builder instanceof HttpClientBuilder) {
        if (!hasWhatap(classicInterceptors.get(builder), classicName)) {
          WhatapHttpClient5.trace((HttpClientBuilder) builder);
        }
      } else if (builder instanceof HttpAsyncClientBuilder) {
        if (!hasWhatap(asyncInterceptors.get(builder), asyncName)) {
          WhatapHttpClient5.trace((HttpAsyncClientBuilder) builder);
        }
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e); // made accessible above: counted by the Bridge if it happens
    }
    return null;
  }

  private static boolean hasWhatap(Object entries, Field name) throws IllegalAccessException {
    if (entries == null) {
      return false;
    }
    for (Object entry : (List<?>) entries) {
      if (WhatapHttpClient5.NAME.equals(name.get(entry))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    // nothing: the handler added to the chain records each call
  }
}

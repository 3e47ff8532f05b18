package io.whatap.javaagent.hooks.jaxrs;

import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;
import java.lang.reflect.AnnotatedElement;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.core.ResourceMethodInvoker;
import org.jboss.resteasy.spi.ApplicationException;
import org.jboss.resteasy.spi.HttpRequest;

/**
 * Defined by an adapter loader against the application's resteasy-core: sets the request attribute
 * {@value JerseyRouteHook#ROUTE} (on a servlet container, the servlet request's attribute) to the
 * resource class's {@code @Path} and the resource method's joined, application-relative as Jersey's
 * and Spring MVC's are ({@code /users/{id}/orders/{order}}); whatap-servlet's tracing names the
 * transaction with it. Joined once per resource method, not per request. Unmatched requests never
 * reach a resource method and keep their path as name. The exception a resource method throws is
 * the transaction's error: RESTEasy answers it with a 500 itself, so the container never sees it.
 */
public final class ResteasyRouteHook implements Hook {
  /** The route of each resource method (RESTEasy keeps one invoker per method for the deployment's life). */
  private final ConcurrentHashMap<ResourceMethodInvoker, String> routes = new ConcurrentHashMap<>();

  public ResteasyRouteHook() { }

  @Override
  public Object enter(Object self, Object request, Object unused) {
    if (!(self instanceof ResourceMethodInvoker) || !(request instanceof HttpRequest)) {
      return null;
    }
    ResourceMethodInvoker invoker = (ResourceMethodInvoker) self;
    String route = routes.get(invoker);
    if (route == null) {
      route = route(invoker);
      routes.putIfAbsent(invoker, route);
    }
    ((HttpRequest) request).setAttribute(JerseyRouteHook.ROUTE, route);
    return CurrentContext.get(); // the request's transaction (the servlet hook's), for exit
  }

  /** The class's {@code @Path} (found on the class, a superclass or an interface) then the method's. */
  static String route(ResourceMethodInvoker invoker) {
    StringBuilder path = new StringBuilder();
    append(path, classPath(invoker.getResourceClass()));
    append(path, path(invoker.getMethod()));
    return path.length() == 0 ? "/" : path.toString();
  }

  private static String classPath(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      String p = path(c);
      if (p != null) {
        return p;
      }
      for (Class<?> i : c.getInterfaces()) {
        p = path(i);
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  private static String path(AnnotatedElement element) {
    Path p = element.getAnnotation(Path.class);
    return p == null ? null : p.value();
  }

  private static void append(StringBuilder path, String template) {
    if (template == null || template.isEmpty() || template.equals("/")) {
      return;
    }
    if (template.charAt(0) != '/') {
      path.append('/');
    }
    path.append(template.endsWith("/") ? template.substring(0, template.length() - 1) : template);
  }

  /**
   * The resource method threw ({@code scope}: the transaction current when it was called): the
   * application's exception is the transaction's error (RESTEasy wraps it in an
   * {@code ApplicationException}). A {@code WebApplicationException} below 500 (a 404, a 400) is the
   * application's answer, not an error.
   */
  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    if (!(scope instanceof TraceContext) || thrown == null) {
      return;
    }
    Throwable error = thrown instanceof ApplicationException && thrown.getCause() != null ? thrown.getCause() : thrown;
    if (error instanceof WebApplicationException) {
      jakarta.ws.rs.core.Response response = ((WebApplicationException) error).getResponse();
      if (response != null && response.getStatus() < 500) {
        return;
      }
    }
    ((TraceContext) scope).error(error);
  }
}

package io.whatap.javaagent.hooks.jaxrs;

import io.whatap.javaagent.bootstrap.Hook;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Defined by an adapter loader against the application's jersey-server: sets the request property
 * {@value #ROUTE} (on a servlet container, a request attribute) to the matched {@code @Path}
 * templates joined, application-relative as Spring MVC's patterns are ({@code /users/{id}}), which
 * whatap-servlet's tracing reads when the request's dispatch returns. Unmatched requests (404)
 * get none and keep their path as name.
 */
public final class JerseyRouteHook implements Hook {
  /** whatap-servlet's {@code RequestTrace.WHATAP_ROUTE}. */
  static final String ROUTE = "io.whatap.route";

  /** The route of each resource method reached without sub-resource locators: joined once, not per request. */
  private final ConcurrentHashMap<ResourceMethod, String> routes = new ConcurrentHashMap<>();

  public JerseyRouteHook() { }

  @Override
  public Object enter(Object self, Object request, Object unused) {
    if (!(request instanceof ContainerRequest)) {
      return null;
    }
    ContainerRequest containerRequest = (ContainerRequest) request;
    ExtendedUriInfo info = containerRequest.getUriInfo();
    ResourceMethod method = info.getMatchedResourceMethod();
    if (method == null) {
      return null;
    }
    String route;
    if (info.getMatchedResourceLocators().isEmpty()) {
      route = routes.get(method);
      if (route == null) {
        route = join(info.getMatchedTemplates());
        routes.putIfAbsent(method, route);
      }
    } else {
      route = join(info.getMatchedTemplates());
    }
    if (!route.isEmpty()) {
      containerRequest.setProperty(ROUTE, route);
    }
    return null;
  }

  /** Jersey lists the matched templates last-matched first: the application's path is the reverse. */
  static String join(List<UriTemplate> templates) {
    StringBuilder path = new StringBuilder();
    for (int i = templates.size() - 1; i >= 0; i--) {
      String t = templates.get(i).getTemplate();
      if (t.isEmpty() || t.equals("/")) {
        continue;
      }
      if (t.charAt(0) != '/') {
        path.append('/');
      }
      path.append(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
    }
    return path.length() == 0 ? "/" : path.toString();
  }

  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    // enter returns no scope: never called
  }
}

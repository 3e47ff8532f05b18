package io.whatap.servlet;

import io.whatap.http.HttpRequestView;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.function.BiConsumer;

/** Reads a servlet request for the core; one stateless instance serves every request. */
final class ServletRequestView implements HttpRequestView<HttpServletRequest> {
  static final ServletRequestView INSTANCE = new ServletRequestView();

  private ServletRequestView() { }

  @Override
  public String method(HttpServletRequest request) {
    return request.getMethod();
  }

  /**
   * The path inside the application (servlet path + path info): the context path is where the
   * application is deployed, not what it serves, and the servlet path never carries
   * {@code ;jsessionid} path parameters.
   */
  @Override
  public String path(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    boolean noServletPath = servletPath == null || servletPath.isEmpty();
    if (pathInfo == null || pathInfo.isEmpty()) {
      return noServletPath ? pathFromUri(request) : servletPath;
    }
    return noServletPath ? pathInfo : servletPath.concat(pathInfo);
  }

  /** Path info behind a servlet path: {@link #path} would concatenate the two. */
  @Override
  public String pathTail(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    return servletPath == null || servletPath.isEmpty() || pathInfo == null || pathInfo.isEmpty() ? null : pathInfo;
  }

  @Override
  public String pathHead(HttpServletRequest request) {
    return request.getServletPath();
  }

  /** For a request no servlet mapping describes: the request URI without context path and path parameters. */
  private static String pathFromUri(HttpServletRequest request) {
    String uri = request.getRequestURI();
    if (uri == null) {
      return null;
    }
    String contextPath = request.getContextPath();
    int from = contextPath != null && uri.startsWith(contextPath) ? contextPath.length() : 0;
    int semicolon = uri.indexOf(';', from);
    int to = semicolon < 0 ? uri.length() : semicolon;
    return to > from ? uri.substring(from, to) : "/";
  }

  @Override
  public String query(HttpServletRequest request) {
    return request.getQueryString();
  }

  @Override
  public String host(HttpServletRequest request) {
    String host = request.getHeader("host");
    return host != null ? host : request.getServerName() + ':' + request.getServerPort();
  }

  @Override
  public String header(HttpServletRequest request, String name) {
    return request.getHeader(name);
  }

  @Override
  public String remoteAddr(HttpServletRequest request) {
    return request.getRemoteAddr();
  }

  @Override
  public void forEachHeader(HttpServletRequest request, BiConsumer<String, String> consumer) {
    Enumeration<String> names = request.getHeaderNames();
    if (names == null) {
      return;
    }
    while (names.hasMoreElements()) {
      String name = names.nextElement();
      Enumeration<String> values = request.getHeaders(name);
      while (values != null && values.hasMoreElements()) {
        consumer.accept(name, values.nextElement());
      }
    }
  }
}

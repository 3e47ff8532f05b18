package io.whatap.bench.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.security.Principal;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;

/**
 * An in-memory GET request as a container hands it to a filter, written by hand (no mocking
 * library) so that what a filter pays is what it would pay in a container: plain field reads, a
 * case-insensitive header scan, an attribute table reused across requests the way containers
 * recycle request objects. Call {@link #recycle()} between requests. What a filter does not
 * need throws, so a benchmark cannot silently skip work.
 */
public final class MockHttpRequest implements HttpServletRequest {
  private static final String[][] HEADERS = {
      {"Host", "shop.example.com"},
      {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"},
      {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
      {"Accept-Encoding", "gzip, deflate, br"},
      {"Accept-Language", "en-US,en;q=0.9"},
      {"Referer", "https://shop.example.com/orders"},
      {"Connection", "keep-alive"},
  };
  private static final int MAX_ATTRIBUTES = 16;

  private final String[] attributeNames = new String[MAX_ATTRIBUTES];
  private final Object[] attributeValues = new Object[MAX_ATTRIBUTES];
  private int attributes;

  /** Forgets the attributes of the previous request. */
  public void recycle() {
    for (int i = 0; i < attributes; i++) {
      attributeNames[i] = null;
      attributeValues[i] = null;
    }
    attributes = 0;
  }

  @Override
  public Object getAttribute(String name) {
    for (int i = 0; i < attributes; i++) {
      if (attributeNames[i].equals(name)) {
        return attributeValues[i];
      }
    }
    return null;
  }

  @Override
  public void setAttribute(String name, Object value) {
    if (value == null) {
      removeAttribute(name);
      return;
    }
    for (int i = 0; i < attributes; i++) {
      if (attributeNames[i].equals(name)) {
        attributeValues[i] = value;
        return;
      }
    }
    if (attributes == MAX_ATTRIBUTES) {
      throw new IllegalStateException("more than " + MAX_ATTRIBUTES + " attributes");
    }
    attributeNames[attributes] = name;
    attributeValues[attributes++] = value;
  }

  @Override
  public void removeAttribute(String name) {
    for (int i = 0; i < attributes; i++) {
      if (attributeNames[i].equals(name)) {
        attributes--;
        attributeNames[i] = attributeNames[attributes];
        attributeValues[i] = attributeValues[attributes];
        attributeNames[attributes] = null;
        attributeValues[attributes] = null;
        return;
      }
    }
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    String[] names = new String[attributes];
    System.arraycopy(attributeNames, 0, names, 0, attributes);
    return Collections.enumeration(java.util.Arrays.asList(names));
  }

  @Override
  public String getMethod() {
    return "GET";
  }

  @Override
  public String getRequestURI() {
    return "/shop/orders/12345";
  }

  @Override
  public StringBuffer getRequestURL() {
    return new StringBuffer("http://shop.example.com").append(getRequestURI());
  }

  @Override
  public String getContextPath() {
    return "/shop";
  }

  @Override
  public String getServletPath() {
    return "/orders";
  }

  @Override
  public String getPathInfo() {
    return "/12345";
  }

  @Override
  public String getQueryString() {
    return "expand=items&page=2";
  }

  @Override
  public String getHeader(String name) {
    for (String[] h : HEADERS) {
      if (h[0].equalsIgnoreCase(name)) {
        return h[1];
      }
    }
    return null;
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    String v = getHeader(name);
    return v == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(v));
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    String[] names = new String[HEADERS.length];
    for (int i = 0; i < names.length; i++) {
      names[i] = HEADERS[i][0];
    }
    return Collections.enumeration(java.util.Arrays.asList(names));
  }

  @Override
  public int getIntHeader(String name) {
    String v = getHeader(name);
    return v == null ? -1 : Integer.parseInt(v);
  }

  @Override
  public long getDateHeader(String name) {
    return -1;
  }

  @Override
  public String getRemoteAddr() {
    return "10.1.2.3";
  }

  @Override
  public String getRemoteHost() {
    return "10.1.2.3";
  }

  @Override
  public int getRemotePort() {
    return 51234;
  }

  @Override
  public String getServerName() {
    return "shop.example.com";
  }

  @Override
  public int getServerPort() {
    return 80;
  }

  @Override
  public String getLocalAddr() {
    return "10.1.0.1";
  }

  @Override
  public String getLocalName() {
    return "shop-1";
  }

  @Override
  public int getLocalPort() {
    return 8080;
  }

  @Override
  public String getScheme() {
    return "http";
  }

  @Override
  public String getProtocol() {
    return "HTTP/1.1";
  }

  @Override
  public boolean isSecure() {
    return false;
  }

  @Override
  public DispatcherType getDispatcherType() {
    return DispatcherType.REQUEST;
  }

  @Override
  public boolean isAsyncStarted() {
    return false;
  }

  @Override
  public boolean isAsyncSupported() {
    return true;
  }

  @Override
  public AsyncContext getAsyncContext() {
    throw new IllegalStateException("not async");
  }

  @Override
  public String getCharacterEncoding() {
    return null;
  }

  @Override
  public String getContentType() {
    return null;
  }

  @Override
  public int getContentLength() {
    return -1;
  }

  @Override
  public long getContentLengthLong() {
    return -1;
  }

  @Override
  public String getRequestId() {
    return "1";
  }

  @Override
  public String getProtocolRequestId() {
    return "";
  }

  @Override
  public Locale getLocale() {
    return Locale.US;
  }

  @Override
  public String getRemoteUser() {
    return null;
  }

  @Override
  public Principal getUserPrincipal() {
    return null;
  }

  @Override
  public String getAuthType() {
    return null;
  }

  @Override
  public Cookie[] getCookies() {
    return null;
  }

  @Override
  public String getRequestedSessionId() {
    return null;
  }

  static UnsupportedOperationException unsupported(String method) {
    return new UnsupportedOperationException("MockHttpRequest." + method + " is not used by the benchmarked filters");
  }

  @Override
  public void setCharacterEncoding(String a0) {
    throw unsupported("setCharacterEncoding");
  }

  @Override
  public ServletInputStream getInputStream() {
    throw unsupported("getInputStream");
  }

  @Override
  public String getParameter(String a0) {
    throw unsupported("getParameter");
  }

  @Override
  public Enumeration<String> getParameterNames() {
    throw unsupported("getParameterNames");
  }

  @Override
  public String[] getParameterValues(String a0) {
    throw unsupported("getParameterValues");
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    throw unsupported("getParameterMap");
  }

  @Override
  public BufferedReader getReader() {
    throw unsupported("getReader");
  }

  @Override
  public Enumeration<Locale> getLocales() {
    throw unsupported("getLocales");
  }

  @Override
  public RequestDispatcher getRequestDispatcher(String a0) {
    throw unsupported("getRequestDispatcher");
  }

  @Override
  public ServletContext getServletContext() {
    throw unsupported("getServletContext");
  }

  @Override
  public AsyncContext startAsync() {
    throw unsupported("startAsync");
  }

  @Override
  public AsyncContext startAsync(ServletRequest a0, ServletResponse a1) {
    throw unsupported("startAsync");
  }

  @Override
  public ServletConnection getServletConnection() {
    throw unsupported("getServletConnection");
  }

  @Override
  public String getPathTranslated() {
    throw unsupported("getPathTranslated");
  }

  @Override
  public boolean isUserInRole(String a0) {
    throw unsupported("isUserInRole");
  }

  @Override
  public HttpSession getSession(boolean a0) {
    throw unsupported("getSession");
  }

  @Override
  public HttpSession getSession() {
    throw unsupported("getSession");
  }

  @Override
  public String changeSessionId() {
    throw unsupported("changeSessionId");
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    throw unsupported("isRequestedSessionIdValid");
  }

  @Override
  public boolean isRequestedSessionIdFromCookie() {
    throw unsupported("isRequestedSessionIdFromCookie");
  }

  @Override
  public boolean isRequestedSessionIdFromURL() {
    throw unsupported("isRequestedSessionIdFromURL");
  }

  @Override
  public boolean authenticate(HttpServletResponse a0) {
    throw unsupported("authenticate");
  }

  @Override
  public void login(String a0, String a1) {
    throw unsupported("login");
  }

  @Override
  public void logout() {
    throw unsupported("logout");
  }

  @Override
  public Collection<Part> getParts() {
    throw unsupported("getParts");
  }

  @Override
  public Part getPart(String a0) {
    throw unsupported("getPart");
  }

  @Override
  public <T extends HttpUpgradeHandler> T upgrade(Class<T> a0) {
    throw unsupported("upgrade");
  }
}

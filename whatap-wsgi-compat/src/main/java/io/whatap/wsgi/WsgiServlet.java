package io.whatap.wsgi;

import io.whatap.Whatap;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link WsgiApp} as a Jakarta Servlet (6.0+): {@code new WsgiServlet(Whatap.registerApp(app))}
 * registered in code, or in web.xml with the init-param {@code app-class} naming a WsgiApp class
 * with a public no-argument constructor (and {@code trace=true} to trace it with
 * {@code Whatap.registerApp}). Map it with a path mapping ({@code /*} or {@code /wsgi/*}): the
 * context and servlet path are SCRIPT_NAME, the rest PATH_INFO.
 */
public class WsgiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private transient WsgiApp app;
  private transient PrintWriter errors;

  /** For web.xml: the application comes from the init-param {@code app-class}. */
  public WsgiServlet() { }

  public WsgiServlet(WsgiApp app) {
    if (app == null) {
      throw new IllegalArgumentException("WsgiServlet(null): pass the WSGI application");
    }
    this.app = app;
  }

  @Override
  public void init() throws ServletException {
    errors = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    if (app != null) {
      return;
    }
    String cls = getInitParameter("app-class");
    if (cls == null || cls.isBlank()) {
      throw new ServletException("WsgiServlet needs the WSGI application: the init-param app-class"
          + " (a WsgiApp class with a public no-argument constructor) or new WsgiServlet(app)");
    }
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Object created = Class.forName(cls.trim(), true, loader != null ? loader : getClass().getClassLoader())
          .getDeclaredConstructor().newInstance();
      if (!(created instanceof WsgiApp)) {
        throw new ServletException("app-class " + cls + " is not a " + WsgiApp.class.getName());
      }
      app = (WsgiApp) created;
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new ServletException("cannot create the WSGI application app-class=" + cls, e);
    }
    if (Boolean.parseBoolean(getInitParameter("trace"))) {
      app = Whatap.registerApp(app);
    }
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
    try {
      WsgiRunner.run(app, environ(req, errors), new ServletHost(req, resp));
    } catch (IOException | ServletException | RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new ServletException(e);
    }
  }

  static Map<String, Object> environ(HttpServletRequest req, PrintWriter errors) throws IOException {
    Map<String, Object> env = Environ.create(req.getScheme(), req.getInputStream(), errors);
    String script = req.getContextPath() + req.getServletPath();
    String pathInfo = req.getPathInfo() == null ? "" : req.getPathInfo();
    HttpServletMapping mapping = req.getHttpServletMapping();
    if (mapping != null && mapping.getMappingMatch() == MappingMatch.DEFAULT) {
      script = req.getContextPath(); // mapped at "/": the servlet path is the whole path
      pathInfo = req.getServletPath() + pathInfo;
    }
    String query = req.getQueryString();
    env.put(Environ.REQUEST_METHOD, req.getMethod());
    env.put(Environ.SCRIPT_NAME, script);
    env.put(Environ.PATH_INFO, pathInfo);
    env.put(Environ.QUERY_STRING, query == null ? "" : query);
    env.put(Environ.REQUEST_URI, query == null ? req.getRequestURI() : req.getRequestURI() + "?" + query);
    env.put(Environ.SERVER_NAME, req.getServerName());
    env.put(Environ.SERVER_PORT, String.valueOf(req.getServerPort()));
    env.put(Environ.SERVER_PROTOCOL, req.getProtocol());
    env.put(Environ.REMOTE_ADDR, req.getRemoteAddr());
    env.put(Environ.REMOTE_PORT, String.valueOf(req.getRemotePort()));
    for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements(); ) {
      String name = names.nextElement();
      for (Enumeration<String> values = req.getHeaders(name); values.hasMoreElements(); ) {
        Environ.header(env, name, values.nextElement());
      }
    }
    return env;
  }

  /** A WSGI response on a servlet response. */
  private final class ServletHost implements Host {
    private final HttpServletRequest req;
    private final HttpServletResponse resp;
    private OutputStream out;

    ServletHost(HttpServletRequest req, HttpServletResponse resp) {
      this.req = req;
      this.resp = resp;
    }

    @Override
    public void send(int code, List<Map.Entry<String, String>> headers, long length) throws IOException {
      resp.setStatus(code);
      for (Map.Entry<String, String> e : headers) {
        String name = e.getKey();
        if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")) {
          resp.addHeader(name, e.getValue());
        }
      }
      if (length >= 0) {
        resp.setContentLengthLong(length);
      }
      out = resp.getOutputStream();
    }

    @Override
    public OutputStream body() {
      return out;
    }

    @Override
    public void flush() throws IOException {
      resp.flushBuffer();
    }

    @Override
    public void finish() {
      // the container completes the response when service returns
    }

    @Override
    public boolean committed() {
      return resp.isCommitted();
    }

    @Override
    public void fail() throws IOException {
      resp.reset();
      resp.sendError(500);
    }

    /** Containers abort a committed response when the servlet throws: the client sees it cut short. */
    @Override
    public void abort(Throwable failure) throws Exception {
      if (failure instanceof Exception) {
        throw (Exception) failure;
      }
      throw (Error) failure;
    }

    @Override
    public void log(String message, Throwable failure) {
      getServletContext().log(message + " (" + req.getRequestURI() + ")", failure);
    }
  }
}

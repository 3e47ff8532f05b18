package io.whatap.servlet;

import io.whatap.Transaction;
import io.whatap.Whatap;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The routes of {@link io.whatap.testing.HttpServerConformanceTest} plus the servlet-only
 * scenarios of {@link ServletConformanceTest}, written as plain servlet code.
 */
public class RouteServlet extends HttpServlet {
  static final int ASYNC_TIMEOUT_MS = 300;
  private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "route-later");
    t.setDaemon(true);
    return t;
  });

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = path(req);
    if (path.startsWith("/users/")) {
      write(res, "user " + path.substring("/users/".length()));
      return;
    }
    if (path.startsWith("/mvc-users/")) {
      // what Spring MVC's DispatcherServlet publishes once a handler matched
      req.setAttribute(RequestTrace.SPRING_MVC_PATTERN, "/mvc-users/{id}");
      write(res, "user " + path.substring("/mvc-users/".length()));
      return;
    }
    switch (path) {
      case "/hello":
      case "/registered":
      case "/traced-twice":
        write(res, "hello");
        break;
      case "/sentinel":
        res.setStatus(204);
        break;
      case "/boom":
        throw new IllegalStateException("boom");
      case "/bad-argument":
        throw new IllegalArgumentException("bad argument");
      case "/unavailable":
        res.setStatus(503);
        write(res, "down");
        break;
      case "/conflict":
        res.sendError(409);
        break;
      case "/error-page":
        write(res, "error page");
        break;
      case "/redirect":
        res.sendRedirect(req.getContextPath() + "/hello");
        break;
      case "/echo":
        write(res, new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        break;
      case "/sql":
        Whatap.currentTransaction().sql("jdbc:test", "select 1", System.currentTimeMillis(), 1, 1);
        write(res, "sql");
        break;
      case "/slow":
        slow(Long.parseLong(req.getParameter("ms")));
        write(res, "slow");
        break;
      case "/health":
        // an ignored URL runs without a transaction: one seen here was left on this thread
        res.setStatus(Whatap.currentTransaction() == Transaction.NOOP ? 200 : 500);
        break;
      case "/forward":
        forwardOrInclude(req, res, true);
        break;
      case "/include":
        forwardOrInclude(req, res, false);
        break;
      case "/async":
        asyncLater(req.startAsync(), "async");
        break;
      case "/async-timeout":
        req.startAsync().setTimeout(ASYNC_TIMEOUT_MS);
        break;
      case "/async-start":
        asyncStart(req.startAsync());
        break;
      case "/async-dispatch":
        asyncDispatch(req);
        break;
      case "/async-dispatch-boom":
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
          throw new IllegalStateException("async boom");
        }
        req.startAsync().dispatch();
        break;
      case "/async-dispatch-unwrapped":
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
          asyncLater(innermost(req).startAsync(), "second cycle unwrapped");
        } else {
          req.startAsync().dispatch();
        }
        break;
      case "/async-unwrapped":
        asyncLater(innermost(req).startAsync(), "unwrapped");
        break;
      default:
        res.sendError(404);
    }
  }

  /** The path this servlet was reached by (an included servlet sees the including request's own paths). */
  private static String path(HttpServletRequest req) {
    boolean included = req.getDispatcherType() == DispatcherType.INCLUDE;
    String servletPath = included ? (String) req.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH) : req.getServletPath();
    String pathInfo = included ? (String) req.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO) : req.getPathInfo();
    return pathInfo == null ? servletPath : servletPath + pathInfo;
  }

  private static void forwardOrInclude(HttpServletRequest req, HttpServletResponse res, boolean forward)
      throws IOException {
    try {
      if (forward) {
        req.getRequestDispatcher("/hello").forward(req, res);
      } else {
        req.getRequestDispatcher("/hello").include(req, res);
      }
    } catch (jakarta.servlet.ServletException e) {
      throw new IOException(e);
    }
  }

  /** Completes about 50 ms later from another thread, after recording a step there. */
  private static void asyncLater(AsyncContext ac, String body) {
    LATER.schedule(Whatap.wrap(() -> {
      Whatap.currentTransaction().message("async", "hop", "");
      complete(ac, body);
    }), 50, TimeUnit.MILLISECONDS);
  }

  /** AsyncContext.start: the container's thread runs the work, which must see the transaction. */
  private static void asyncStart(AsyncContext ac) {
    ac.start(() -> {
      Whatap.currentTransaction().message("async-start", "", "");
      complete(ac, "async-start");
    });
  }

  /** Two async cycles: the first dispatches back here; the second starts async again and completes from start(). */
  private static void asyncDispatch(HttpServletRequest req) {
    if (req.getDispatcherType() != DispatcherType.ASYNC) {
      req.startAsync().dispatch();
      return;
    }
    Whatap.currentTransaction().message("dispatched", "", "");
    AsyncContext second = req.startAsync();
    second.start(() -> {
      Whatap.currentTransaction().message("second cycle", "", "");
      complete(second, "dispatched");
    });
  }

  private static ServletRequest innermost(ServletRequest req) {
    ServletRequest r = req;
    while (r instanceof ServletRequestWrapper) {
      r = ((ServletRequestWrapper) r).getRequest();
    }
    return r;
  }

  private static void complete(AsyncContext ac, String body) {
    try {
      write((HttpServletResponse) ac.getResponse(), body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      ac.complete();
    }
  }

  private static void write(HttpServletResponse res, String body) throws IOException {
    res.setContentType("text/plain");
    res.getWriter().write(body);
  }

  /** The route's contract is to take this long: the request is slow, no test waits on it. */
  private static void slow(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

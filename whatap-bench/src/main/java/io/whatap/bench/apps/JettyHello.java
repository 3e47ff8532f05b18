package io.whatap.bench.apps;

import brave.jakarta.servlet.TracingFilter;
import io.whatap.bench.BraveNoop;
import io.whatap.servlet.WhatapFilter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty 12 (ee10 servlet) with a hello servlet, a failing one and an async one that times out;
 * WhatapFilter or Brave's TracingFilter in front.
 */
final class JettyHello {
  private JettyHello() { }

  static HelloApp.Server start(String config, int port) throws Exception {
    org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    EnumSet<DispatcherType> dispatch = EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC);
    if (config.equals("whatap")) {
      FilterHolder f = new FilterHolder(new WhatapFilter());
      f.setAsyncSupported(true);
      context.addFilter(f, "/*", dispatch);
    } else if (config.equals("brave")) {
      FilterHolder f = new FilterHolder(TracingFilter.create(BraveNoop.httpTracing("hello-jetty")));
      f.setAsyncSupported(true);
      context.addFilter(f, "/*", dispatch);
    }
    context.addServlet(new ServletHolder(new Hello()), "/hello");
    context.addServlet(new ServletHolder(new Failing()), HelloApp.ERROR_PATH);
    ServletHolder async = new ServletHolder(new NeverCompleting());
    async.setAsyncSupported(true);
    context.addServlet(async, HelloApp.ASYNC_PATH);
    server.setHandler(context);
    server.start();
    return new HelloApp.Server() {
      @Override
      public int port() {
        return connector.getLocalPort();
      }

      @Override
      public void stop() throws Exception {
        server.stop();
      }
    };
  }

  static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] BODY = HelloApp.BODY.getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.setContentLength(BODY.length);
      resp.getOutputStream().write(BODY);
    }
  }

  /** Throws: the container answers 500 and the filter records the exception. */
  static final class Failing extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException {
      throw new ServletException(HelloApp.ERROR_MESSAGE);
    }
  }

  /**
   * Starts async and never completes: the container's async timeout ends the request (500). Jetty
   * 12.1.14 now and then never fires that timeout (a few requests in ten thousand, early in the
   * server's life, with or without WhatapFilter: reproduced on the untraced app), which would leave
   * the request open for good; so a guard completes, with 504, any request still open after
   * {@link HelloApp#ASYNC_GUARD_MS}, and counts it (the {@code asyncGuard} figure of {@code stats}).
   */
  static final class NeverCompleting extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      AsyncContext async = req.startAsync();
      async.setTimeout(HelloApp.asyncTimeoutMs());
      AtomicBoolean ended = new AtomicBoolean();
      async.addListener(new AsyncListener() {
        @Override
        public void onComplete(AsyncEvent e) {
          ended.set(true);
        }

        @Override
        public void onTimeout(AsyncEvent e) {
          ended.set(true);
        }

        @Override
        public void onError(AsyncEvent e) {
          ended.set(true);
        }

        @Override
        public void onStartAsync(AsyncEvent e) { }
      });
      HelloApp.GUARD.schedule(() -> {
        if (ended.compareAndSet(false, true)) {
          HelloApp.asyncGuardFired.increment();
          resp.setStatus(504);
          async.complete();
        }
      }, HelloApp.ASYNC_GUARD_MS, TimeUnit.MILLISECONDS);
    }
  }
}

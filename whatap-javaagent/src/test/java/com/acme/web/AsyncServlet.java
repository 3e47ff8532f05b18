package com.acme.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Answers from another thread after the request's first dispatch returned. */
@WebServlet(urlPatterns = "/async", asyncSupported = true)
public class AsyncServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) {
    AsyncContext async = request.startAsync();
    async.start(() -> {
      try {
        response.setStatus(202);
        response.setContentType("text/plain");
        response.getWriter().write("async done");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        async.complete();
      }
    });
  }
}

package com.acme.web;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** A plain servlet of an application that knows nothing of WhaTap. */
@WebServlet(urlPatterns = "/users/*", asyncSupported = true)
public class UsersServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setContentType("text/plain");
    response.getWriter().write("user " + request.getPathInfo().substring(1));
  }
}

package com.acme.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Throws: the container answers 500. */
@WebServlet(urlPatterns = "/fail", asyncSupported = true)
public class FailServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException {
    throw new ServletException("acme failure");
  }
}

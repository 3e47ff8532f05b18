package com.acme.web;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Answers "isolated" when none of the agent's own classes is visible to the application's class loaders. */
@WebServlet(urlPatterns = "/isolation")
public class IsolationServlet extends HttpServlet {
  static final String[] AGENT_CLASSES = {
      "io.whatap.Whatap", "io.whatap.runtime.Agent", "io.whatap.servlet.WhatapFilter",
      "io.whatap.servlet.ServletEntryHook", "io.whatap.javaagent.AgentInstaller",
      "io.whatap.javaagent.shaded.bytebuddy.ByteBuddy", "net.bytebuddy.ByteBuddy"};

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    StringBuilder leaked = new StringBuilder();
    // the application's loaders; the request it is handed is the agent's wrapper (as with
    // WhatapFilter), whose own loader is the agent's adapter loader, not one of these
    ClassLoader[] loaders = {getClass().getClassLoader(), Thread.currentThread().getContextClassLoader(),
        ClassLoader.getSystemClassLoader()};
    for (ClassLoader loader : loaders) {
      for (String name : AGENT_CLASSES) {
        try {
          Class.forName(name, false, loader);
          leaked.append(' ').append(name).append(" from ").append(loader);
        } catch (ClassNotFoundException expected) {
          // not visible: as it should be
        }
      }
    }
    response.setContentType("text/plain");
    response.getWriter().write(leaked.length() == 0 ? "isolated" : "leaked:" + leaked);
  }
}

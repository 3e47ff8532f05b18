package io.whatap.it.tomcat.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The servlet of the test WAR (copied into its WEB-INF/classes): answers with the WAR's
 * generation, read from WEB-INF/generation.txt, so the test knows which deployment served it.
 */
public class HelloServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String generation;
    try (InputStream in = getServletContext().getResourceAsStream("/WEB-INF/generation.txt")) {
      generation = in == null ? "none" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    resp.setContentType("text/plain");
    resp.getWriter().print("generation " + generation);
  }
}

package com.acme.clients;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /callee?id=N}: 200, remembering the x-wtap-* headers the request brought;
 * {@code /callee/headers?id=N} answers them; {@code /callee/unavailable}: 503.
 */
public final class CalleeServlet extends HttpServlet {
  private static final String[] NAMES = {"x-wtap-mst", "x-wtap-tx", "x-wtap-inf"};
  private final Map<String, String> seen = new ConcurrentHashMap<>();

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    String id = req.getParameter("id");
    if (path.equals("/headers")) {
      resp.getWriter().write(seen.getOrDefault(id, "none"));
      return;
    }
    if (id != null) {
      StringBuilder headers = new StringBuilder();
      for (String name : NAMES) {
        if (req.getHeader(name) != null) {
          headers.append(name).append('=').append(req.getHeader(name)).append('\n');
        }
      }
      seen.put(id, headers.toString());
    }
    resp.setStatus(path.equals("/unavailable") ? 503 : 200);
    resp.getWriter().write("callee");
  }
}

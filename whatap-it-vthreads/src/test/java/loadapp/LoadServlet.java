package loadapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

/**
 * GET /load: counts the request, records a step, hands work to a new virtual thread through
 * {@code Whatap.wrap} and waits for it (so every request has a virtual thread of its own, whatever
 * the container reuses), and answers 200 "ok".
 */
public final class LoadServlet extends HttpServlet {
  private static final byte[] OK = "ok".getBytes(StandardCharsets.ISO_8859_1);

  private final LoadCounters counters;

  public LoadServlet(LoadCounters counters) {
    this.counters = counters;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    try {
      counters.hop(counters.onRequest()).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IOException(e);
    }
    res.setContentType("text/plain");
    res.setContentLength(OK.length);
    res.getOutputStream().write(OK);
  }
}

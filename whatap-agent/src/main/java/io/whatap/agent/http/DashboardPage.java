package io.whatap.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard as one HTML document: index.html with its stylesheet and scripts inlined at start.
 * One document means one request, so a token given as {@code ?token=} on the page's URL protects the
 * page as well as the API calls the page makes (which add it themselves); there is no unprotected
 * asset and no CDN.
 */
final class DashboardPage {
  private static final String BASE = "/io/whatap/agent/web/";
  private static final String[] INLINED = {"uPlot.min.css", "style.css", "uPlot.iife.min.js", "charts.js", "app.js"};

  private DashboardPage() {
  }

  static String load() {
    String html = resource("index.html");
    for (String name : INLINED) {
      String marker = "/*{{" + name + "}}*/";
      if (!html.contains(marker)) {
        throw new IllegalStateException("index.html lacks the marker " + marker);
      }
      html = html.replace(marker, resource(name));
    }
    return html;
  }

  /**
   * The Content-Security-Policy for every response: nothing may load from anywhere, the page's own
   * inline script and style blocks (by their SHA-256) may run, its API calls go to this origin, and
   * it may not be framed.
   */
  static String contentSecurityPolicy(String html) {
    return "default-src 'none'; script-src" + hashes(html, "<script>", "</script>") + "; style-src"
        + hashes(html, "<style>", "</style>") + "; connect-src 'self'; img-src 'self' data:; base-uri 'none';"
        + " form-action 'none'; frame-ancestors 'none'";
  }

  private static String hashes(String html, String open, String close) {
    StringBuilder b = new StringBuilder();
    for (int from = html.indexOf(open); from >= 0; from = html.indexOf(open, from)) {
      int start = from + open.length();
      int end = html.indexOf(close, start);
      if (end < 0) {
        break;
      }
      try {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
            .digest(html.substring(start, end).getBytes(StandardCharsets.UTF_8));
        b.append(" 'sha256-").append(java.util.Base64.getEncoder().encodeToString(digest)).append('\'');
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every JDK", e);
      }
      from = end + close.length();
    }
    return b.length() == 0 ? " 'none'" : b.toString();
  }

  private static String resource(String name) {
    try (InputStream in = DashboardPage.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("missing dashboard resource " + BASE + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
